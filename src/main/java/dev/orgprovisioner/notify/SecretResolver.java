package dev.orgprovisioner.notify;

import java.util.Optional;

/**
 * Port: turns a secret reference (e.g. {@code env:SLACK_WEBHOOK_ACME}) into its value. Values are
 * never logged.
 */
public interface SecretResolver {

  /** The value, or empty when the reference is unknown. Throws on a malformed reference. */
  Optional<String> resolve(String reference);
}
