package dev.orgprovisioner.messaging;

import java.time.Instant;
import java.util.Map;

/**
 * Metadata the Pub/Sub connector attaches to every incoming message.
 *
 * @param orderingKey the message's ordering key; empty string when none
 * @param deliveryAttempt 1 on first delivery; counts up on redelivery when the subscription has a
 *     dead-letter policy (0 when Pub/Sub does not report it)
 */
public record PubSubIncomingMetadata(
    String messageId,
    Map<String, String> attributes,
    String orderingKey,
    int deliveryAttempt,
    Instant publishTime,
    String subscription) {

  public PubSubIncomingMetadata {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    orderingKey = orderingKey == null ? "" : orderingKey;
  }
}
