package dev.orgprovisioner.messaging;

import com.google.api.core.ApiService;
import com.google.api.gax.batching.FlowControlSettings;
import com.google.api.gax.batching.FlowController.LimitExceededBehavior;
import com.google.cloud.pubsub.v1.AckReplyConsumer;
import com.google.cloud.pubsub.v1.MessageReceiver;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.pubsub.v1.SubscriberShutdownSettings;
import com.google.cloud.pubsub.v1.SubscriberShutdownSettings.ShutdownMode;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.pubsub.v1.PubsubMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * One incoming channel: a StreamingPull subscriber whose pushed messages are handed to a single
 * downstream subscriber only as fast as it requests them.
 */
final class PubSubSource implements Flow.Publisher<Message<?>> {

  private static final Logger LOG = Logger.getLogger(PubSubSource.class);
  // The client attaches the delivery attempt as this attribute; it was not sent by the publisher.
  private static final String DELIVERY_ATTEMPT_ATTRIBUTE = "googclient_deliveryattempt";
  // Beyond the client's own shutdown timeout: time for its final nacks to reach the server.
  private static final Duration STOP_MARGIN = Duration.ofSeconds(5);

  /** Threads for the subscriber's own upkeep (leases, acks, restarts). */
  private static final int SYSTEM_THREADS = 2;

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final ChannelSettings.Inbound settings;
  private final PubSubTransport transport;
  private final ClientThreads threads;
  private final ClientThreads systemThreads;
  // Received from Pub/Sub but not yet handed downstream; bounded by the subscriber's flow control.
  private final Queue<Received> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicLong requested = new AtomicLong();
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  private volatile Flow.Subscriber<? super Message<?>> downstream;
  private volatile Subscriber subscriber;
  private volatile boolean stopping;
  private volatile boolean cancelled;
  private volatile boolean finished;
  private volatile Throwable failure;
  private boolean terminated; // touched only inside drain()

  private record Received(Message<byte[]> message, AckReplyConsumer reply) {}

  private final BiFunction<PubsubMessage, AckReplyConsumer, AckReplyConsumer> replies;

  PubSubSource(ChannelSettings.Inbound settings) {
    this(settings, (message, reply) -> reply);
  }

  /** {@code replies} may wrap each message's reply consumer (tests observe acks and nacks). */
  PubSubSource(
      ChannelSettings.Inbound settings,
      BiFunction<PubsubMessage, AckReplyConsumer, AckReplyConsumer> replies) {
    this.settings = settings;
    this.replies = replies;
    this.transport = PubSubTransport.create(settings.emulatorHost());
    this.threads = new ClientThreads(settings.channel(), settings.executorThreads());
    // Lease extensions, ack batches and stream restarts: the client's own starts six threads per
    // subscriber and keeps them.
    this.systemThreads = new ClientThreads(settings.channel() + "-system", SYSTEM_THREADS);
  }

  @Override
  public void subscribe(Flow.Subscriber<? super Message<?>> s) {
    Objects.requireNonNull(s, "subscriber");
    if (!subscribed.compareAndSet(false, true)) {
      s.onSubscribe(NoSubscription.INSTANCE);
      s.onError(
          new IllegalStateException(
              "Pub/Sub channel '" + settings.channel() + "' accepts a single subscriber"));
      return;
    }
    downstream = s;
    s.onSubscribe(new Demand());
    start();
  }

  /** The channel's name in the configuration. */
  String channel() {
    return settings.channel();
  }

  /**
   * True while the StreamingPull subscriber runs (starting counts: it connects in the background)
   * and nothing stopped or failed it.
   */
  boolean isRunning() {
    Subscriber current = subscriber;
    if (stopping || cancelled || failure != null || current == null) {
      return false;
    }
    ApiService.State state = current.state();
    return state == ApiService.State.RUNNING || state == ApiService.State.STARTING;
  }

  /** Messages received and not yet handed downstream. */
  int waiting() {
    return waiting.size();
  }

  /**
   * Stops pulling, nacks what was not handed out yet, and waits up to the shutdown timeout for the
   * messages being processed to be acked or nacked (the client nacks the rest); then completes the
   * stream.
   */
  void stop() {
    if (!stopRequested.compareAndSet(false, true)) {
      stopped.join();
      return;
    }
    try {
      Subscriber running;
      synchronized (this) {
        stopping = true;
        running = subscriber;
      }
      if (running != null) {
        // Closes the stream before the nacks below go out: nacked messages are not redelivered to
        // this stream only to be nacked again, each time counting as a delivery attempt.
        running.stopAsync();
      }
      drain();
      if (running != null) {
        try {
          running.awaitTerminated(
              settings.shutdownTimeout().plus(STOP_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          LOG.warnf(
              "Pub/Sub channel '%s' did not stop within %s",
              settings.channel(), settings.shutdownTimeout());
        } catch (IllegalStateException e) {
          // It had failed already; the failure was reported downstream.
        }
      }
      finished = true;
      drain();
    } finally {
      transport.close();
      threads.close();
      systemThreads.close();
      stopped.complete(null);
    }
  }

  private synchronized void start() {
    if (stopping) {
      return;
    }
    Subscriber created =
        transport
            .subscriber(settings.subscription(), (MessageReceiver) this::receive)
            .setFlowControlSettings(
                FlowControlSettings.newBuilder()
                    .setMaxOutstandingElementCount(settings.maxOutstandingMessages())
                    .setMaxOutstandingRequestBytes(settings.maxOutstandingBytes())
                    .setLimitExceededBehavior(LimitExceededBehavior.Block)
                    .build())
            .setParallelPullCount(settings.parallelPullCount())
            .setExecutorProvider(threads.provider())
            .setSystemExecutorProvider(systemThreads.provider())
            .setSubscriberShutdownSettings(
                SubscriberShutdownSettings.newBuilder()
                    .setMode(ShutdownMode.WAIT_FOR_PROCESSING)
                    .setTimeout(settings.shutdownTimeout())
                    .build())
            .build();
    created.addListener(
        new ApiService.Listener() {
          @Override
          public void failed(ApiService.State from, Throwable cause) {
            if (!stopping) {
              LOG.errorf(
                  cause,
                  "Pub/Sub subscriber of channel '%s' (%s) failed",
                  settings.channel(),
                  settings.subscription());
              failure = cause;
              drain();
            }
          }
        },
        MoreExecutors.directExecutor());
    subscriber = created;
    created.startAsync();
    LOG.debugf("Pub/Sub channel '%s' pulls from %s", settings.channel(), settings.subscription());
  }

  private void receive(PubsubMessage message, AckReplyConsumer clientReply) {
    AckReplyConsumer reply = replies.apply(message, clientReply);
    waiting.add(new Received(toMessage(message, reply), reply));
    drain();
  }

  private Message<byte[]> toMessage(PubsubMessage message, AckReplyConsumer reply) {
    Map<String, String> attributes = message.getAttributesMap();
    if (attributes.containsKey(DELIVERY_ATTEMPT_ATTRIBUTE)) {
      attributes = new HashMap<>(attributes);
      attributes.remove(DELIVERY_ATTEMPT_ATTRIBUTE);
    }
    Integer attempt = Subscriber.getDeliveryAttempt(message);
    PubSubIncomingMetadata metadata =
        new PubSubIncomingMetadata(
            message.getMessageId(),
            attributes,
            message.getOrderingKey(),
            attempt == null ? 0 : attempt,
            Instant.ofEpochSecond(
                message.getPublishTime().getSeconds(), message.getPublishTime().getNanos()),
            settings.subscription().toString());
    return Message.of(
        message.getData().toByteArray(),
        Metadata.of(metadata),
        () -> {
          reply.ack();
          return DONE;
        },
        (Throwable reason) -> nack(reply));
  }

  private static CompletionStage<Void> nack(AckReplyConsumer reply) {
    // Redelivered as soon as the subscription's retry policy allows, not after the lease expires.
    reply.nack();
    return DONE;
  }

  /** Hands waiting messages downstream within its demand; serialised by {@code wip}. */
  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      if (stopping || cancelled || failure != null) {
        Received left;
        while ((left = waiting.poll()) != null) {
          left.reply().nack();
        }
        if (!terminated && !cancelled && (failure != null || finished)) {
          terminated = true;
          if (failure != null) {
            downstream.onError(failure);
          } else {
            downstream.onComplete();
          }
        }
      } else {
        long demand = requested.get();
        long emitted = 0;
        while (emitted != demand && !stopping && !cancelled) {
          Received next = waiting.poll();
          if (next == null) {
            break;
          }
          downstream.onNext(next.message());
          emitted++;
        }
        if (emitted != 0 && demand != Long.MAX_VALUE) {
          requested.addAndGet(-emitted);
        }
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private final class Demand implements Flow.Subscription {

    @Override
    public void request(long n) {
      if (n <= 0) {
        failure =
            new IllegalArgumentException(
                "Reactive Streams rule 3.9: request must be positive, was " + n);
        drain();
        stopInBackground();
        return;
      }
      requested.accumulateAndGet(
          n, (current, more) -> current + more < 0 ? Long.MAX_VALUE : current + more);
      drain();
    }

    @Override
    public void cancel() {
      cancelled = true;
      drain();
      stopInBackground();
    }
  }

  private void stopInBackground() {
    Thread stopper = new Thread(this::stop, "pubsub-stop-" + settings.channel());
    stopper.setDaemon(true);
    stopper.start();
  }

  private enum NoSubscription implements Flow.Subscription {
    INSTANCE;

    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  }
}
