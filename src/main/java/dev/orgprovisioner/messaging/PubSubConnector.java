package dev.orgprovisioner.messaging;

import static io.smallrye.reactive.messaging.annotations.ConnectorAttribute.Direction.INCOMING;
import static io.smallrye.reactive.messaging.annotations.ConnectorAttribute.Direction.INCOMING_AND_OUTGOING;
import static io.smallrye.reactive.messaging.annotations.ConnectorAttribute.Direction.OUTGOING;

import io.smallrye.reactive.messaging.annotations.ConnectorAttribute;
import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.connector.OutboundConnector;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

/**
 * SmallRye Reactive Messaging connector {@value #NAME} over the official google-cloud-pubsub
 * client: streaming pull with flow control and explicit ack/nack in, batched asynchronous
 * publishing with ordering keys out.
 */
@ApplicationScoped
@Connector(PubSubConnector.NAME)
@ConnectorAttribute(
    name = ChannelSettings.PROJECT_ID,
    type = "string",
    direction = INCOMING_AND_OUTGOING,
    description =
        "Google Cloud project of the topic/subscription; defaults to the environment's project")
@ConnectorAttribute(
    name = ChannelSettings.EMULATOR_HOST,
    type = "string",
    direction = INCOMING_AND_OUTGOING,
    description =
        "host:port of a Pub/Sub emulator (plaintext, no credentials); unset uses Google Cloud with"
            + " Application Default Credentials")
@ConnectorAttribute(
    name = ChannelSettings.TOPIC,
    type = "string",
    direction = OUTGOING,
    mandatory = true,
    description =
        "Topic id (or projects/p/topics/t) published to; PubSubOutgoingMetadata.topicOverride"
            + " selects another one per message")
@ConnectorAttribute(
    name = ChannelSettings.SUBSCRIPTION,
    type = "string",
    direction = INCOMING,
    mandatory = true,
    description = "Subscription id (or projects/p/subscriptions/s) pulled from")
@ConnectorAttribute(
    name = ChannelSettings.MAX_OUTSTANDING_MESSAGES,
    type = "long",
    direction = INCOMING,
    defaultValue = "1000",
    description = "Flow control: most messages received and not yet acked or nacked")
@ConnectorAttribute(
    name = ChannelSettings.MAX_OUTSTANDING_BYTES,
    type = "long",
    direction = INCOMING,
    defaultValue = "104857600",
    description = "Flow control: most bytes received and not yet acked or nacked (100 MiB)")
@ConnectorAttribute(
    name = ChannelSettings.PARALLEL_PULL_COUNT,
    type = "int",
    direction = INCOMING,
    defaultValue = "1",
    description = "Number of StreamingPull streams")
@ConnectorAttribute(
    name = ChannelSettings.EXECUTOR_THREADS,
    type = "int",
    direction = INCOMING_AND_OUTGOING,
    defaultValue = "4",
    description =
        "Most threads of the channel's client executor (the subscriber's callbacks; the"
            + " publishers' batching, ordering and retries), each ending after 10 s without work")
@ConnectorAttribute(
    name = ChannelSettings.SHUTDOWN_TIMEOUT,
    type = "string",
    direction = INCOMING_AND_OUTGOING,
    defaultValue = "30s",
    description =
        "On stop: how long in-flight messages may take to be acked/nacked (incoming), or pending"
            + " publishes to complete (outgoing); e.g. 30s, 500ms, PT1M")
@ConnectorAttribute(
    name = ChannelSettings.BATCH_MAX_MESSAGES,
    type = "long",
    direction = OUTGOING,
    defaultValue = "100",
    description =
        "Unordered channels: a batch is sent when it holds this many messages (ordered channels"
            + " send each message on its own)")
@ConnectorAttribute(
    name = ChannelSettings.BATCH_MAX_BYTES,
    type = "long",
    direction = OUTGOING,
    defaultValue = "1000000",
    description = "Unordered channels: a batch is sent when it holds this many bytes")
@ConnectorAttribute(
    name = ChannelSettings.BATCH_MAX_DELAY_MS,
    type = "long",
    direction = OUTGOING,
    defaultValue = "10",
    description =
        "Unordered channels: a batch is sent at the latest this many milliseconds after its first"
            + " message")
@ConnectorAttribute(
    name = ChannelSettings.ENABLE_ORDERING,
    type = "boolean",
    direction = OUTGOING,
    defaultValue = "true",
    description =
        "Publish with the ordering key of PubSubOutgoingMetadata; false publishes unordered and"
            + " ignores the keys")
@ConnectorAttribute(
    name = ChannelSettings.MAX_INFLIGHT_MESSAGES,
    type = "int",
    direction = OUTGOING,
    defaultValue = "1000",
    description = "Most publishes awaiting their outcome at once")
@ConnectorAttribute(
    name = ChannelSettings.PUBLISH_MAX_RETRY_DELAY,
    type = "string",
    direction = OUTGOING,
    defaultValue = ChannelSettings.DEFAULT_PUBLISH_MAX_RETRY_DELAY,
    description =
        "Longest wait between the client's attempts at one publish while Pub/Sub is unreachable"
            + " (the client's own default grows to 60s): after an outage, pending messages go out"
            + " within this delay; e.g. 5s, 500ms")
public class PubSubConnector implements InboundConnector, OutboundConnector {

  /** The connector name used in {@code mp.messaging.*.connector}. */
  public static final String NAME = "google-pubsub";

  private final List<PubSubSource> sources = new CopyOnWriteArrayList<>();
  private final List<PubSubSink> sinks = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  @Override
  public Flow.Publisher<? extends Message<?>> getPublisher(Config config) {
    PubSubSource source = new PubSubSource(ChannelSettings.inbound(config));
    sources.add(source);
    return source;
  }

  @Override
  public Flow.Subscriber<? extends Message<?>> getSubscriber(Config config) {
    PubSubSink sink = new PubSubSink(ChannelSettings.outbound(config));
    sinks.add(sink);
    return sink.subscriber();
  }

  void onShutdown(
      @Observes(notifyObserver = Reception.IF_EXISTS)
          @Priority(50)
          @BeforeDestroyed(ApplicationScoped.class)
          Object event) {
    close();
  }

  /**
   * Drains every incoming channel (in parallel, each within its shutdown timeout), then flushes and
   * closes the publishers; in-flight processing may still publish while the inbound drains.
   */
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopIncoming();
    sinks.forEach(PubSubSink::close);
  }

  /**
   * Stops pulling on every incoming channel and drains them (in parallel, each within its shutdown
   * timeout); the publishers stay open so running work can still publish. Idempotent.
   */
  public void stopIncoming() {
    CompletableFuture.allOf(
            sources.stream()
                .map(
                    source ->
                        CompletableFuture.runAsync(source::stop, PubSubConnector::onNewThread))
                .toArray(CompletableFuture[]::new))
        .join();
  }

  /**
   * Incoming channels whose subscriber is not running (stopped or failed), by channel name; empty
   * when all pull. For the liveness probe.
   */
  public List<String> stalledChannels() {
    return sources.stream().filter(s -> !s.isRunning()).map(PubSubSource::channel).toList();
  }

  /** Number of incoming channels (0 before SmallRye Reactive Messaging wired them). */
  public int incomingChannels() {
    return sources.size();
  }

  private static void onNewThread(Runnable task) {
    Thread thread = new Thread(task, "pubsub-drain");
    thread.setDaemon(true);
    thread.start();
  }
}
