package dev.orgprovisioner.notify;

import java.util.Optional;

/**
 * Port: turns a secret reference (e.g. {@code env:ORG_ACME__SLACK_WEBHOOK}) into its value, within
 * the namespace of whoever owns the channel. Values are never logged.
 */
public interface SecretResolver {

  /**
   * The value, or empty when the reference is unknown. {@code org} is the channel's owner; empty
   * means the platform (the configured operations channels). Throws {@link
   * IllegalArgumentException} on a malformed reference or one outside the owner's namespace.
   */
  Optional<String> resolve(String org, String reference);
}
