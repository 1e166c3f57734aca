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
 * @param priority queue priority of its job, 1 first: onboarding 1, customer sync 2, drift repair 3
 * @param dueAt when its job may run first (a durable timer); null: at once
 * @param trace the trace its job continues (the intake's span), or null
 */
public record CommandEnvelope(
    String id,
    String source,
    Instant time,
    String idempotencyKey,
    String fingerprint,
    Command command,
    String data,
    Map<String, String> attributes,
    int priority,
    Instant dueAt,
    TraceContext trace) {

  public CommandEnvelope {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /** A command outside any trace. */
  public CommandEnvelope(
      String id,
      String source,
      Instant time,
      String idempotencyKey,
      String fingerprint,
      Command command,
      String data,
      Map<String, String> attributes,
      int priority,
      Instant dueAt) {
    this(
        id,
        source,
        time,
        idempotencyKey,
        fingerprint,
        command,
        data,
        attributes,
        priority,
        dueAt,
        null);
  }

  /** This command continuing {@code newTrace} (null: none). */
  public CommandEnvelope withTrace(TraceContext newTrace) {
    return new CommandEnvelope(
        id,
        source,
        time,
        idempotencyKey,
        fingerprint,
        command,
        data,
        attributes,
        priority,
        dueAt,
        newTrace);
  }

  /** A command due at once. */
  public CommandEnvelope(
      String id,
      String source,
      Instant time,
      String idempotencyKey,
      String fingerprint,
      Command command,
      String data,
      Map<String, String> attributes,
      int priority) {
    this(
        id,
        source,
        time,
        idempotencyKey,
        fingerprint,
        command,
        data,
        attributes,
        priority,
        (Instant) null);
  }

  /** A command at its type's priority. */
  public CommandEnvelope(
      String id,
      String source,
      Instant time,
      String idempotencyKey,
      String fingerprint,
      Command command,
      String data,
      Map<String, String> attributes) {
    this(
        id,
        source,
        time,
        idempotencyKey,
        fingerprint,
        command,
        data,
        attributes,
        command.type().priority());
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
