package dev.orgprovisioner.messaging;

import dev.orgprovisioner.command.Rejection;
import dev.orgprovisioner.execution.Intake;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The attributes the intake adds to a command it dead-letters, and how they are packed. */
final class DeadLetterStamps {

  private DeadLetterStamps() {}

  /** A command the intake refused, on the delivery that saw it. */
  static DeadLetterMessage rejected(
      byte[] data, PubSubIncomingMetadata meta, Rejection rejection, Instant now) {
    Map<String, String> stamps = common(meta, now);
    stamps.put(Intake.REJECTION_CODE, rejection.code().name());
    stamps.put(Intake.REJECTION_FIELD, rejection.field());
    stamps.put(Intake.REJECTION_MESSAGE, rejection.message());
    return DeadLetterMessage.of(data, meta.attributes(), stamps);
  }

  /** A command that could not be taken in on any of its allowed deliveries. */
  static DeadLetterMessage exhausted(
      byte[] data, PubSubIncomingMetadata meta, Throwable cause, Instant now) {
    Map<String, String> stamps = common(meta, now);
    stamps.put(Intake.REJECTION_CODE, Intake.DELIVERY_ATTEMPTS_EXHAUSTED);
    stamps.put(Intake.REJECTION_FIELD, "");
    stamps.put(
        Intake.REJECTION_MESSAGE,
        "could not be taken in after "
            + meta.deliveryAttempt()
            + " deliveries: "
            + cause.getMessage());
    if (meta.publishTime() != null && !Instant.EPOCH.equals(meta.publishTime())) {
      // Its first delivery (right after publishing) was its first failure.
      stamps.put(Intake.ORIGINAL_PUBLISH_TIME, meta.publishTime().toString());
    }
    return DeadLetterMessage.of(data, meta.attributes(), stamps);
  }

  private static Map<String, String> common(PubSubIncomingMetadata meta, Instant now) {
    Map<String, String> stamps = new LinkedHashMap<>();
    stamps.put(Intake.ORIGINAL_MESSAGE_ID, meta.messageId());
    if (!meta.orderingKey().isEmpty()) {
      stamps.put(Intake.ORIGINAL_ORDERING_KEY, meta.orderingKey());
    }
    if (meta.deliveryAttempt() > 0) {
      stamps.put(Intake.DELIVERY_ATTEMPTS, Integer.toString(meta.deliveryAttempt()));
    }
    stamps.put(Intake.DEAD_LETTERED_AT, now.toString());
    return stamps;
  }
}
