package dev.orgprovisioner.command;

import java.time.Instant;
import java.util.Map;

/**
 * An accepted command with its CloudEvents context.
 *
 * @param id the command's {@code ce-id}; events carry it as correlation
 * @param idempotencyKey the {@code idempotency-key} attribute, or the ce-id
 * @param fingerprint SHA-256 of the type and canonical JSON data: same key, other fingerprint =
 *     conflict
 * @param data the original JSON data, canonicalised
 * @param attributes the original message attributes (kept for replay)
 */
public record CommandEnvelope(
    String id,
    String source,
    Instant time,
    String idempotencyKey,
    String fingerprint,
    Command command,
    String data,
    Map<String, String> attributes) {

  public CommandEnvelope {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  public CommandType type() {
    return command.type();
  }

  /** Scope of the idempotency key: (type, org, key); non-org commands use "-" as org. */
  public String scope() {
    return type().ceType()
        + "|"
        + command.org().map(OrgSlug::value).orElse("-")
        + "|"
        + idempotencyKey;
  }
}
