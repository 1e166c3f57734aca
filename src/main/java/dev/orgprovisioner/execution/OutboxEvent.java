package dev.orgprovisioner.execution;

import java.time.Instant;
import java.util.Map;

/**
 * An event stored with the state change that caused it, published afterwards by the relay.
 *
 * @param attributes CloudEvents attributes (ce-id, ce-type, …) and correlation attributes
 * @param data JSON data
 */
public record OutboxEvent(
    String id,
    String type,
    String orderingKey,
    Map<String, String> attributes,
    String data,
    Instant createdAt,
    boolean published) {

  public OutboxEvent {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  public OutboxEvent asPublished() {
    return new OutboxEvent(id, type, orderingKey, attributes, data, createdAt, true);
  }
}
