package dev.orgprovisioner.messaging;

import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.reactive.messaging.OutgoingMessageMetadata;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/** Feeds messages into an outgoing channel like SmallRye would and reports each one's outcome. */
final class OutboundDriver {

  /** How an outgoing message was settled: acked with the server's message id, or nacked. */
  record Outcome(boolean acked, String messageId, Throwable failure) {}

  private final UnicastProcessor<Message<?>> channel = UnicastProcessor.create();

  @SuppressWarnings("unchecked")
  OutboundDriver(PubSubConnector connector, Config config) {
    channel.subscribe((Flow.Subscriber<Message<?>>) connector.getSubscriber(config));
  }

  CompletableFuture<Outcome> send(Object payload, PubSubOutgoingMetadata metadata) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    OutgoingMessageMetadata<String> result = new OutgoingMessageMetadata<>();
    Metadata all = metadata == null ? Metadata.of(result) : Metadata.of(metadata, result);
    channel.onNext(
        Message.of(
            payload,
            all,
            () -> {
              outcome.complete(new Outcome(true, result.getResult(), null));
              return CompletableFuture.completedFuture(null);
            },
            failure -> {
              outcome.complete(new Outcome(false, null, failure));
              return CompletableFuture.completedFuture(null);
            }));
    return outcome;
  }

  CompletableFuture<Outcome> send(Object payload) {
    return send(payload, null);
  }

  CompletableFuture<Outcome> send(
      String payload, Map<String, String> attributes, String orderingKey) {
    return send(payload, PubSubOutgoingMetadata.of(attributes, orderingKey));
  }
}
