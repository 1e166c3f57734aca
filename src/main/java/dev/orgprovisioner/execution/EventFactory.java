package dev.orgprovisioner.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.orgprovisioner.command.TraceContext;
import dev.orgprovisioner.execution.port.Tracing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Builds outgoing CloudEvents (binary mode) with the correlation attributes consumers need to
 * de-duplicate: a unique {@code ce-id}, the command's id as {@code correlation-id}, and its
 * idempotency key.
 */
public final class EventFactory {

  public static final String CORRELATION_ID = "correlation-id";
  public static final String IDEMPOTENCY_KEY = "idempotency-key";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final String source;
  private final Tracing tracing;

  /**
   * @param source the {@code ce-source} of every event, e.g. {@code //org-provisioner/prod}
   */
  public EventFactory(String source) {
    this(source, Tracing.NONE);
  }

  /**
   * @param tracing whose current span an event names as its parent ({@code ce-traceparent}): the
   *     job's run, for the events a job emits
   */
  public EventFactory(String source, Tracing tracing) {
    this.source = source;
    this.tracing = tracing;
  }

  /** An event with a fresh id. */
  public OutboxEvent event(
      String type,
      String orgSlug,
      String correlationId,
      String idempotencyKey,
      Object data,
      Instant now) {
    return event(
        UUID.randomUUID().toString(), type, orgSlug, correlationId, idempotencyKey, data, now);
  }

  /** An event with a given id (deterministic ids make re-sent events de-duplicable). */
  public OutboxEvent event(
      String id,
      String type,
      String orgSlug,
      String correlationId,
      String idempotencyKey,
      Object data,
      Instant now) {
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("ce-specversion", "1.0");
    attrs.put("ce-id", id);
    attrs.put("ce-type", type);
    attrs.put("ce-source", source);
    attrs.put("ce-time", now.toString());
    attrs.put("content-type", "application/json");
    if (orgSlug != null) {
      attrs.put("ce-subject", orgSlug);
    }
    if (correlationId != null) {
      attrs.put(CORRELATION_ID, correlationId);
    }
    if (idempotencyKey != null) {
      attrs.put(IDEMPOTENCY_KEY, idempotencyKey);
    }
    TraceContext trace = tracing.current();
    if (trace != null) {
      attrs.putAll(trace.attributes());
    }
    return new OutboxEvent(id, type, orgSlug == null ? "" : orgSlug, attrs, json(data), now, false);
  }

  public static String json(Object data) {
    try {
      return data instanceof String s ? s : JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event data is not serialisable", e);
    }
  }

  /** A stable, id-safe digest for deterministic event ids. */
  public static String digest(String text) {
    return UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
