package dev.orgprovisioner.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.TraceContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes well-formed commands the way the frontend does (CloudEvents binary mode, ordering key =
 * org slug, W3C trace context as {@code ce-traceparent}); used by the local demo, the drift
 * scheduler and the ops tools.
 */
public final class CommandPublisher implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Publisher publisher;
  private final String source;

  public CommandPublisher(
      PubSubTransport transport, String projectId, String topic, String source) {
    try {
      this.publisher = transport.orderedPublisher(TopicName.of(projectId, topic)).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a publisher for " + topic, e);
    }
    this.source = source;
  }

  /**
   * Publishes one command, as the first span of a new trace, and waits until Pub/Sub accepted it.
   *
   * @param idempotencyKey null to default to the generated ce-id
   * @return the command's ce-id
   */
  public String publish(
      CommandType type, String orgSlug, Map<String, Object> data, String idempotencyKey) {
    return publish(type, orgSlug, data, idempotencyKey, TraceContext.newTrace());
  }

  /**
   * Publishes one command in {@code trace} (its {@code ce-traceparent}; null: none) and waits until
   * Pub/Sub accepted it.
   *
   * @param idempotencyKey null to default to the generated ce-id
   * @return the command's ce-id
   */
  public String publish(
      CommandType type,
      String orgSlug,
      Map<String, Object> data,
      String idempotencyKey,
      TraceContext trace) {
    String id = UUID.randomUUID().toString();
    Map<String, String> attributes = attributes(type, id, source, idempotencyKey);
    if (trace != null) {
      attributes.putAll(trace.attributes());
    }
    try {
      PubsubMessage.Builder message =
          PubsubMessage.newBuilder()
              .setData(ByteString.copyFrom(JSON.writeValueAsBytes(data)))
              .putAllAttributes(attributes);
      if (orgSlug != null) {
        message.setOrderingKey(orgSlug);
      }
      publisher.publish(message.build()).get(30, TimeUnit.SECONDS);
      return id;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("command data is not serialisable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("publishing the command failed: " + e.getMessage(), e);
    }
  }

  /**
   * The attributes of a command as this publisher sends them (CloudEvents binary mode).
   *
   * @param idempotencyKey null to leave it out (the key then defaults to the ce-id)
   */
  public static Map<String, String> attributes(
      CommandType type, String id, String source, String idempotencyKey) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(CommandDecoder.SPECVERSION, "1.0");
    attributes.put(CommandDecoder.TYPE, type.ceType());
    attributes.put(CommandDecoder.ID, id);
    attributes.put(CommandDecoder.SOURCE, source);
    attributes.put(CommandDecoder.TIME, Instant.now().toString());
    attributes.put("content-type", "application/json");
    if (idempotencyKey != null) {
      attributes.put(CommandDecoder.IDEMPOTENCY_KEY, idempotencyKey);
    }
    return attributes;
  }

  @Override
  public void close() {
    publisher.shutdown();
    try {
      publisher.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
