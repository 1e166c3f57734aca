package dev.orgprovisioner.messaging;

import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Publishes events and dead letters through the Pub/Sub connector; each returned stage completes
 * only when Pub/Sub accepted the message (the connector acks on publish success).
 */
@ApplicationScoped
public class PubSubEventPublisher implements EventPublisher {

  @Inject
  @Channel("events")
  @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 20_000)
  Emitter<byte[]> events;

  @Inject
  @Channel("dead-letters")
  @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 5_000)
  Emitter<byte[]> deadLetters;

  @Override
  public CompletionStage<Void> publish(OutboxEvent event) {
    return send(
        events,
        event.data().getBytes(StandardCharsets.UTF_8),
        PubSubLimits.bounded(event.attributes()),
        event.orderingKey());
  }

  /**
   * Publishes a dead letter (see {@link DeadLetterMessage}: built within Pub/Sub's limits) to the
   * dead-letter topic.
   */
  public CompletionStage<Void> deadLetter(byte[] data, Map<String, String> attributes) {
    return send(deadLetters, data == null ? new byte[0] : data, attributes, "");
  }

  private static CompletionStage<Void> send(
      Emitter<byte[]> emitter, byte[] payload, Map<String, String> attributes, String orderingKey) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Message<byte[]> message =
        Message.of(
            payload,
            Metadata.of(PubSubOutgoingMetadata.of(attributes, orderingKey)),
            () -> {
              done.complete(null);
              return CompletableFuture.completedFuture(null);
            },
            failure -> {
              done.completeExceptionally(failure);
              return CompletableFuture.completedFuture(null);
            });
    try {
      emitter.send(message);
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
    }
    return done;
  }
}
