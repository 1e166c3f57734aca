package dev.orgprovisioner.execution;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.MessageLimits;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.command.Rejection;
import dev.orgprovisioner.command.TraceContext;
import dev.orgprovisioner.command.Utf8Text;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the {@code command.rejected} event that answers a refused command. */
final class RejectionEvents {

  private final EventFactory events;
  private final Clock clock;

  RejectionEvents(EventFactory events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  /**
   * @param attributes the message's attributes as received (may be null)
   * @param envelope the decoded command, when it was decoded
   * @param trace the span the event names as its parent ({@code ce-traceparent}), or null
   */
  IntakeDecision.Reject reject(
      String messageId,
      Map<String, String> attributes,
      Rejection rejection,
      CommandEnvelope envelope,
      TraceContext trace) {
    Map<String, String> attrs = attributes == null ? Map.of() : attributes;
    // Echoed input: bounded like any attribute value, whatever the message carried.
    String commandId = bounded(attrs.get(CommandDecoder.ID));
    String org =
        envelope != null ? envelope.command().org().map(OrgSlug::value).orElse(null) : null;
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("code", rejection.code().name());
    data.put("field", rejection.field());
    data.put("message", rejection.message());
    data.put("command_type", bounded(attrs.get(CommandDecoder.TYPE)));
    data.put("command_id", commandId);
    data.put("message_id", messageId);
    // Same message rejected twice (redelivered before its ack) → same event id, so consumers
    // see one rejection.
    OutboxEvent event =
        events.event(
            EventFactory.digest("rejected|" + messageId + "|" + rejection.code()),
            Intake.REJECTED_EVENT,
            org,
            commandId,
            bounded(attrs.get(CommandDecoder.IDEMPOTENCY_KEY)),
            data,
            clock.instant());
    return new IntakeDecision.Reject(rejection, trace == null ? event : event.withTrace(trace));
  }

  private static String bounded(String value) {
    return Utf8Text.truncate(value, MessageLimits.MAX_VALUE_BYTES);
  }
}
