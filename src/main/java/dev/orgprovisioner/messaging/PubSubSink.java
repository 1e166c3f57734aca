package dev.orgprovisioner.messaging;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.api.gax.batching.BatchingSettings;
import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.OutgoingMessageMetadata;
import io.smallrye.reactive.messaging.providers.helpers.MultiUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * One outgoing channel: publishes each message asynchronously through a batching, ordering-aware
 * {@link Publisher} per topic, and acks or nacks the message with the publish outcome.
 */
final class PubSubSink {

  private static final Logger LOG = Logger.getLogger(PubSubSink.class);

  private final ChannelSettings.Outbound settings;
  private final PubSubTransport transport;
  private final ClientThreads threads;
  private final Map<TopicName, TopicPublisher> publishers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  PubSubSink(ChannelSettings.Outbound settings) {
    this.settings = settings;
    this.transport = PubSubTransport.create(settings.emulatorHost());
    this.threads = new ClientThreads(settings.channel(), settings.executorThreads());
  }

  /** The subscriber SmallRye feeds the channel's messages into. */
  Flow.Subscriber<Message<?>> subscriber() {
    return MultiUtils.via(
        messages ->
            messages
                .onItem()
                .transformToUni(message -> Uni.createFrom().completionStage(() -> send(message)))
                // Bounds the publishes awaiting their outcome; they run concurrently.
                .merge(settings.maxInflightMessages()));
  }

  /**
   * Publishes {@code message}; the returned stage completes (normally) once the message has been
   * acked or nacked.
   */
  CompletionStage<Void> send(Message<?> message) {
    PubSubOutgoingMetadata metadata =
        message.getMetadata(PubSubOutgoingMetadata.class).orElse(null);
    String orderingKey = orderingKey(metadata);
    TopicPublisher publisher;
    ApiFuture<String> published;
    try {
      publisher = publisherFor(topicOf(metadata));
      publisher.resumeIfFailed(orderingKey);
      published = publisher.client().publish(toPubsubMessage(message, metadata, orderingKey));
    } catch (RuntimeException e) {
      return settle(message.nack(e));
    }
    CompletableFuture<Void> settled = new CompletableFuture<>();
    ApiFutures.addCallback(
        published,
        new ApiFutureCallback<>() {
          @Override
          public void onSuccess(String messageId) {
            OutgoingMessageMetadata.setResultOnMessage(message, messageId);
            settle(message.ack()).whenComplete((ignored, e) -> settled.complete(null));
          }

          @Override
          public void onFailure(Throwable failure) {
            publisher.failed(orderingKey);
            settle(message.nack(failure)).whenComplete((ignored, e) -> settled.complete(null));
          }
        },
        MoreExecutors.directExecutor());
    return settled;
  }

  /** Publishes what is batched, then waits up to the shutdown timeout for the outcomes. */
  void close() {
    synchronized (this) {
      closed = true;
    }
    long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
    // The client's shutdown waits for every publish it counted; a publish whose batch it lost
    // (it logs "Attempted to publish batch with zero messages") would block it forever, so it
    // runs on a thread of its own and the shutdown timeout bounds the wait.
    Thread stopper =
        new Thread(
            () -> publishers.values().forEach(publisher -> publisher.client().shutdown()),
            "pubsub-sink-shutdown-" + settings.channel());
    stopper.setDaemon(true);
    stopper.start();
    try {
      stopper.join(settings.shutdownTimeout().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stopper.isAlive()) {
      LOG.warnf(
          "Pub/Sub channel '%s': a publish never completed; stopped waiting after %s",
          settings.channel(), settings.shutdownTimeout());
    }
    for (Map.Entry<TopicName, TopicPublisher> entry : publishers.entrySet()) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!entry.getValue().client().awaitTermination(left, TimeUnit.NANOSECONDS)) {
          LOG.warnf(
              "Pub/Sub channel '%s': publishes to %s still pending after %s",
              settings.channel(), entry.getKey(), settings.shutdownTimeout());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    transport.close();
    threads.close();
  }

  private String orderingKey(PubSubOutgoingMetadata metadata) {
    // With ordering off the channel publishes unordered: the client would reject a keyed message.
    if (metadata == null || metadata.orderingKey() == null || !settings.enableOrdering()) {
      return "";
    }
    return metadata.orderingKey();
  }

  private TopicName topicOf(PubSubOutgoingMetadata metadata) {
    if (metadata == null
        || metadata.topicOverride() == null
        || metadata.topicOverride().isBlank()) {
      return settings.topic();
    }
    return ChannelSettings.topicNamed(settings.projectId(), metadata.topicOverride());
  }

  private TopicPublisher publisherFor(TopicName topic) {
    TopicPublisher existing = publishers.get(topic);
    if (existing != null) {
      return existing;
    }
    synchronized (this) {
      // Checked under the lock so that close() never misses a publisher created concurrently.
      if (closed) {
        throw new IllegalStateException(
            "Pub/Sub channel '" + settings.channel() + "' is shut down");
      }
      return publishers.computeIfAbsent(topic, this::newPublisher);
    }
  }

  private TopicPublisher newPublisher(TopicName topic) {
    try {
      // Ordered publishers send every message on its own (see PubSubTransport.orderedPublisher);
      // the batch settings apply to unordered channels.
      Publisher.Builder builder =
          settings.enableOrdering()
              ? transport.orderedPublisher(topic)
              : transport
                  .publisher(topic)
                  .setBatchingSettings(
                      BatchingSettings.newBuilder()
                          .setElementCountThreshold(settings.batchMaxMessages())
                          .setRequestByteThreshold(settings.batchMaxBytes())
                          .setDelayThresholdDuration(settings.batchMaxDelay())
                          .build());
      builder
          .setRetrySettings(retrySettings(settings.publishMaxRetryDelay()))
          .setExecutorProvider(threads.provider());
      return new TopicPublisher(builder.build(), ConcurrentHashMap.newKeySet());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a Pub/Sub publisher for " + topic, e);
    }
  }

  /**
   * The client's publish retries (first after 100 ms, growing 4-fold, each attempt's deadline from
   * 5 s up to 10 min, 10 min in all) with the wait between attempts capped at {@code maxDelay}:
   * with the client's 60 s cap, messages that failed during an outage waited up to a minute after
   * Pub/Sub was back.
   */
  static RetrySettings retrySettings(Duration maxDelay) {
    Duration initial = Duration.ofMillis(100);
    return RetrySettings.newBuilder()
        .setInitialRetryDelayDuration(initial.compareTo(maxDelay) < 0 ? initial : maxDelay)
        .setRetryDelayMultiplier(4)
        .setMaxRetryDelayDuration(maxDelay)
        .setInitialRpcTimeoutDuration(Duration.ofSeconds(5))
        .setRpcTimeoutMultiplier(4)
        .setMaxRpcTimeoutDuration(Duration.ofMinutes(10))
        .setTotalTimeoutDuration(Duration.ofMinutes(10))
        .build();
  }

  /**
   * A topic's publisher and the ordering keys whose last publish failed. The client pauses such a
   * key, failing every later message of it, until {@code resumePublish}.
   */
  private record TopicPublisher(Publisher client, Set<String> failedKeys) {

    void failed(String orderingKey) {
      if (!orderingKey.isEmpty()) {
        failedKeys.add(orderingKey);
      }
    }

    void resumeIfFailed(String orderingKey) {
      // Resumed on the next publish, not in the failure callback: the client runs that callback
      // before it pauses the key, so a resume from there would be undone at once.
      if (!orderingKey.isEmpty() && failedKeys.remove(orderingKey)) {
        client.resumePublish(orderingKey);
      }
    }
  }

  private static PubsubMessage toPubsubMessage(
      Message<?> message, PubSubOutgoingMetadata metadata, String orderingKey) {
    ByteString data = data(message.getPayload());
    Map<String, String> attributes = metadata == null ? Map.of() : metadata.attributes();
    // Refused here with the reason, rather than by Pub/Sub with a bare INVALID_ARGUMENT.
    String problem = PubSubLimits.problem(data.size(), attributes, orderingKey);
    if (problem != null) {
      throw new IllegalArgumentException("message over Pub/Sub's limits: " + problem);
    }
    PubsubMessage.Builder builder = PubsubMessage.newBuilder().setData(data);
    builder.putAllAttributes(attributes);
    if (!orderingKey.isEmpty()) {
      builder.setOrderingKey(orderingKey);
    }
    return builder.build();
  }

  private static ByteString data(Object payload) {
    if (payload instanceof byte[] bytes) {
      return ByteString.copyFrom(bytes);
    }
    if (payload instanceof String text) {
      return ByteString.copyFrom(text, StandardCharsets.UTF_8);
    }
    throw new IllegalArgumentException(
        "Pub/Sub payload must be byte[] or String, was "
            + (payload == null ? "null" : payload.getClass().getName()));
  }

  private static CompletionStage<Void> settle(CompletionStage<Void> stage) {
    // An ack/nack handler that fails must not fail the channel's stream.
    return stage.exceptionally(
        e -> {
          LOG.warnf(e, "Pub/Sub outgoing message: its ack/nack handler failed");
          return null;
        });
  }
}
