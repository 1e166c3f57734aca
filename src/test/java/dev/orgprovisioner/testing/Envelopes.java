package dev.orgprovisioner.testing;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.MalformedCommands;
import java.util.Map;

/** Accepted command envelopes, decoded by the real decoder from well-formed command messages. */
public final class Envelopes {

  private static final CommandDecoder DECODER =
      CommandDecoder.fromClasspath(
          Envelopes.class.getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);

  private Envelopes() {}

  /** Onboarding of {@code org} with ce-id (and so idempotency key) {@code id}. */
  public static CommandEnvelope onboard(String org, String id) {
    return onboard(org, id, "Acme Inc");
  }

  /** As {@link #onboard(String, String)} with another company name: same key, other payload. */
  public static CommandEnvelope onboard(String org, String id, String company) {
    Map<String, Object> data = MalformedCommands.onboardData(org);
    data.put("company_name", company);
    DecodeResult result =
        DECODER.decode(MalformedCommands.onboardAttributes(id), MalformedCommands.json(data), org);
    if (result instanceof DecodeResult.Accepted accepted) {
      return accepted.envelope();
    }
    throw new AssertionError("fixture command was not accepted: " + result);
  }

  /** An offboarding of {@code org} with a grace period of {@code graceDays}, as published. */
  public static CommandEnvelope offboard(String org, String id, int graceDays) {
    Map<String, String> attrs =
        new java.util.LinkedHashMap<>(MalformedCommands.onboardAttributes(id));
    attrs.put("ce-type", "org.offboard.requested");
    Map<String, Object> data = new java.util.LinkedHashMap<>();
    data.put("org_slug", org);
    data.put("reason", "contract ended");
    data.put("grace_days", graceDays);
    DecodeResult result = DECODER.decode(attrs, MalformedCommands.json(data), org);
    if (result instanceof DecodeResult.Accepted accepted) {
      return accepted.envelope();
    }
    throw new AssertionError("fixture command was not accepted: " + result);
  }

  /** The same command with its job at another queue priority. */
  public static CommandEnvelope withPriority(CommandEnvelope e, int priority) {
    return new CommandEnvelope(
        e.id(),
        e.source(),
        e.time(),
        e.idempotencyKey(),
        e.fingerprint(),
        e.command(),
        e.data(),
        e.attributes(),
        priority);
  }

  /** The same command as a durable timer: its job first due at {@code dueAt}. */
  public static CommandEnvelope dueAt(CommandEnvelope e, java.time.Instant dueAt) {
    return new CommandEnvelope(
        e.id(),
        e.source(),
        e.time(),
        e.idempotencyKey(),
        e.fingerprint(),
        e.command(),
        e.data(),
        e.attributes(),
        e.priority(),
        dueAt);
  }
}
