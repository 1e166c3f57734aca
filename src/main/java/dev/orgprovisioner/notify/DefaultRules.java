package dev.orgprovisioner.notify;

import java.util.List;

/**
 * The rules in force for an org that has none of its own: {@code org.onboarded} goes to the org's
 * admin by e-mail and to operations; every {@code *.failed} and {@code drift.detected} goes to
 * operations.
 */
public final class DefaultRules {

  /** Channel id standing for every configured global operations channel. */
  public static final String OPS = "ops";

  /** Channel id of the built-in e-mail channel to the org's admin. */
  public static final String ORG_ADMIN_EMAIL = "org-admin-email";

  private DefaultRules() {}

  /** The default rules; {@code cooldown} null means the configured default. */
  public static List<Rule> forOrg(String org) {
    return List.of(
        new Rule(
            "default-onboarded",
            org,
            "Workspace ready",
            true,
            Priority.LOW,
            List.of("org.onboarded"),
            Priority.LOW,
            List.of(ORG_ADMIN_EMAIL, OPS),
            null),
        new Rule(
            "default-failures",
            org,
            "Failures to operations",
            true,
            Priority.HIGH,
            List.of("*.failed"),
            Priority.LOW,
            List.of(OPS),
            null),
        new Rule(
            "default-drift",
            org,
            "Drift to operations",
            true,
            Priority.MEDIUM,
            List.of("drift.detected"),
            Priority.LOW,
            List.of(OPS),
            null));
  }

  /** The built-in admin e-mail channel of an org. */
  public static Channel orgAdminEmail(String org) {
    return Channel.email(ORG_ADMIN_EMAIL, org, "Org admin", List.of(Channel.ORG_ADMIN));
  }
}
