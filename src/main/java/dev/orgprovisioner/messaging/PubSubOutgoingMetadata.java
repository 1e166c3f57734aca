package dev.orgprovisioner.messaging;

import java.util.Map;

/**
 * Metadata for an outgoing message: its attributes, ordering key and, optionally, a topic that
 * overrides the channel's configured one (used to publish to the dead-letter topic).
 */
public record PubSubOutgoingMetadata(
    Map<String, String> attributes, String orderingKey, String topicOverride) {

  public PubSubOutgoingMetadata {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  public static PubSubOutgoingMetadata of(Map<String, String> attributes, String orderingKey) {
    return new PubSubOutgoingMetadata(attributes, orderingKey, null);
  }
}
