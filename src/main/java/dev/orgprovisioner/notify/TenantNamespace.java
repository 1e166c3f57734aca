package dev.orgprovisioner.notify;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names an org's channel rows may reference: {@code env:ORG_<SLUG>__<NAME>} only, so a tenant
 * row can never name a platform secret (SMTP password, operations webhook) or another org's.
 */
public final class TenantNamespace {

  /**
   * The part after the org's prefix: upper-case words joined by single underscores. Without a
   * double underscore or a leading one, no name of one org can equal a name of another, although
   * slugs may themselves contain underscores.
   */
  private static final Pattern NAME = Pattern.compile("[A-Z0-9]+(_[A-Z0-9]+)*");

  private TenantNamespace() {}

  /** The environment-variable prefix of an org's secrets, e.g. {@code ORG_ACME__}. */
  public static String prefix(String org) {
    return "ORG_" + org.toUpperCase(Locale.ROOT) + "__";
  }

  /** The reference an org's row would write for {@code name}, e.g. {@code env:ORG_ACME__HOOK}. */
  public static String reference(String org, String name) {
    return "env:" + prefix(org) + name;
  }

  /**
   * The variable name {@code reference} points at, if it lies in the org's namespace; otherwise an
   * {@link IllegalArgumentException} saying which namespace it must be in (never a value).
   */
  public static String variable(String org, String reference) {
    String ref = reference.trim();
    String prefix = prefix(org);
    if (!ref.startsWith("env:")) {
      throw new IllegalArgumentException(
          "not a secret reference (expected env:"
              + prefix
              + "<NAME>; clear-text values are refused)");
    }
    String variable = ref.substring(4);
    if (!variable.startsWith(prefix)
        || !NAME.matcher(variable.substring(prefix.length())).matches()) {
      throw new IllegalArgumentException(
          "references a name outside org "
              + org
              + "'s namespace (an org's channels may only reference env:"
              + prefix
              + "<NAME>, NAME in upper case, words joined by single underscores)");
    }
    return variable;
  }
}
