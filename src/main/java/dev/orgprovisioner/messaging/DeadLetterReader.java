package dev.orgprovisioner.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.execution.Intake;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/** Reads what operations need to know from a dead letter, through its envelope if it has one. */
final class DeadLetterReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DeadLetterReader() {}

  /** Reads what operations need to know from a dead letter's attributes and data. */
  static DeadLetterQueue.DeadLetter describe(ReceivedMessage received) {
    PubsubMessage m = received.getMessage();
    DeadLetterMessage.Restored restored = restore(m);
    Map<String, String> a = restored.published();
    Instant dlqPublished =
        Instant.ofEpochSecond(m.getPublishTime().getSeconds(), m.getPublishTime().getNanos());
    String code = a.get(Intake.REJECTION_CODE);
    String reason;
    if (code != null && !code.isEmpty()) {
      reason = code;
    } else if (a.containsKey(DeadLetterQueue.PUBSUB_DELIVERY_COUNT)) {
      reason = DeadLetterQueue.MAX_DELIVERY_ATTEMPTS;
    } else {
      reason = "UNKNOWN";
    }
    boolean exhausted =
        reason.equals(Intake.DELIVERY_ATTEMPTS_EXHAUSTED)
            || reason.equals(DeadLetterQueue.MAX_DELIVERY_ATTEMPTS);
    boolean rejected = !exhausted && !reason.equals("UNKNOWN");
    Integer attempts =
        integer(
            a.getOrDefault(Intake.DELIVERY_ATTEMPTS, a.get(DeadLetterQueue.PUBSUB_DELIVERY_COUNT)));
    Instant deadLettered = instant(a.get(Intake.DEAD_LETTERED_AT), dlqPublished);
    Instant firstFailure =
        instant(
            a.getOrDefault(
                Intake.ORIGINAL_PUBLISH_TIME, a.get(DeadLetterQueue.PUBSUB_PUBLISH_TIME)),
            deadLettered);
    Integer replays = integer(a.get(Intake.REPLAY_COUNT));
    String key = restored.original(CommandDecoder.IDEMPOTENCY_KEY);
    return new DeadLetterQueue.DeadLetter(
        m.getMessageId(),
        restored.original(CommandDecoder.TYPE),
        org(m, restored),
        reason,
        rejected,
        attempts,
        firstFailure,
        deadLettered,
        replays == null ? 0 : replays,
        restored.original(CommandDecoder.ID),
        key != null ? key : restored.original(CommandDecoder.ID),
        emptyToNull(a.get(Intake.REJECTION_FIELD)),
        a.get(Intake.REJECTION_MESSAGE),
        restored.moved().size());
  }

  /** The dead letter with an envelope unpacked; one that cannot be read is shown as it is. */
  private static DeadLetterMessage.Restored restore(PubsubMessage m) {
    try {
      return DeadLetterMessage.restore(m.getData().toByteArray(), m.getAttributesMap());
    } catch (IllegalStateException e) {
      return new DeadLetterMessage.Restored(
          m.getData().toByteArray(), m.getAttributesMap(), Map.of());
    }
  }

  private static String org(PubsubMessage m, DeadLetterMessage.Restored restored) {
    try {
      JsonNode data = JSON.readTree(restored.data());
      if (data != null && data.path("org_slug").isTextual()) {
        return data.get("org_slug").asText();
      }
    } catch (IOException | RuntimeException e) {
      // Not JSON (a rejected command can be anything): fall back to the attributes.
    }
    String key = m.getAttributesMap().get(Intake.ORIGINAL_ORDERING_KEY);
    if (key != null && !key.isEmpty()) {
      return key;
    }
    return emptyToNull(m.getOrderingKey());
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static Integer integer(String s) {
    try {
      return s == null ? null : Integer.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Instant instant(String s, Instant fallback) {
    if (s == null || s.isEmpty()) {
      return fallback;
    }
    try {
      return Instant.parse(s);
    } catch (RuntimeException e) {
      return fallback;
    }
  }
}
