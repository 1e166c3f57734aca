package dev.orgprovisioner.execution;

import dev.orgprovisioner.command.TraceContext;
import java.time.Instant;
import java.util.LinkedHashMap;
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

  /** This event naming {@code trace} as its parent span ({@code ce-traceparent}). */
  public OutboxEvent withTrace(TraceContext trace) {
    Map<String, String> traced = new LinkedHashMap<>(attributes);
    traced.remove(TraceContext.TRACESTATE);
    traced.putAll(trace.attributes());
    return new OutboxEvent(id, type, orderingKey, traced, data, createdAt, published);
  }

  public OutboxEvent asPublished() {
    return new OutboxEvent(id, type, orderingKey, attributes, data, createdAt, true);
  }
}
