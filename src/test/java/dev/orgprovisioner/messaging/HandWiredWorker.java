package dev.orgprovisioner.messaging;

import com.google.cloud.pubsub.v1.AckReplyConsumer;
import com.google.pubsub.v1.PubsubMessage;
import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.ExecutionSettings;
import dev.orgprovisioner.execution.JobExecution;
import dev.orgprovisioner.execution.OutboxRelay;
import dev.orgprovisioner.execution.Submission;
import dev.orgprovisioner.execution.WorkerPool;
import dev.orgprovisioner.execution.port.JobLogContext;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.provisioning.Environment;
import dev.orgprovisioner.provisioning.PlanApplier;
import dev.orgprovisioner.provisioning.ProvisioningJobs;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.ProvisioningSettings;
import dev.orgprovisioner.provisioning.WarehouseAuditTrail;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.warehouse.RetryingWarehouse;
import dev.orgprovisioner.warehouse.Warehouse;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.function.BiFunction;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The worker assembled by hand as the application wires it (the real {@link CommandConsumer} on the
 * connector's source, events and dead letters through the connector's sinks, intake, worker pool,
 * outbox relay, audit trail), so fault tests can run several instances, point its parts at their
 * own emulators, and wrap its acks.
 */
public final class HandWiredWorker implements AutoCloseable {

  private static final Catalog CATALOG = CatalogFixtures.project();

  /** What one instance runs against. */
  public record Options(
      String pubSubHost,
      String eventsPubSubHost,
      MessagingConfig messaging,
      Ledger ledger,
      Warehouse warehouse,
      String owner,
      ExecutionSettings execution,
      Duration warehouseRetryBackoff,
      BiFunction<PubsubMessage, AckReplyConsumer, AckReplyConsumer> replies) {

    /** Defaults: events on the commands' emulator, fast sweeps, acks untouched. */
    public static Options of(
        String pubSubHost,
        MessagingConfig messaging,
        Ledger ledger,
        Warehouse warehouse,
        String owner) {
      return new Options(
          pubSubHost,
          pubSubHost,
          messaging,
          ledger,
          warehouse,
          owner,
          new ExecutionSettings(
              4,
              6,
              Duration.ofMillis(50),
              Duration.ofMillis(500),
              Duration.ofSeconds(2),
              Duration.ofSeconds(5),
              Duration.ofSeconds(5),
              Duration.ofSeconds(1),
              Duration.ofMinutes(5)),
          Duration.ofMillis(10),
          (message, reply) -> reply);
    }

    public Options withEventsOn(String host) {
      return new Options(
          pubSubHost,
          host,
          messaging,
          ledger,
          warehouse,
          owner,
          execution,
          warehouseRetryBackoff,
          replies);
    }

    public Options withExecution(ExecutionSettings settings) {
      return new Options(
          pubSubHost,
          eventsPubSubHost,
          messaging,
          ledger,
          warehouse,
          owner,
          settings,
          warehouseRetryBackoff,
          replies);
    }

    public Options withReplies(BiFunction<PubsubMessage, AckReplyConsumer, AckReplyConsumer> r) {
      return new Options(
          pubSubHost,
          eventsPubSubHost,
          messaging,
          ledger,
          warehouse,
          owner,
          execution,
          warehouseRetryBackoff,
          r);
    }
  }

  public final ProvisioningService service;
  public final WorkerPool pool;
  public final WarehouseAuditTrail audit;
  public final OutboxRelay relay;
  private final ExecutorService tablePool = Executors.newFixedThreadPool(8);
  private final PubSubSource commands;
  private final PubSubSink events;
  private final PubSubSink deadLetters;
  private final CommandConsumer consumer;

  /** The messaging settings of a topology whose names all start with {@code prefix}. */
  public static MessagingConfig topology(
      String pubSubHost, String prefix, Map<String, String> overrides) {
    return PubSubEmulatorFixture.topologyConfig(pubSubHost, prefix, overrides);
  }

  /** Creates the topology's topics and subscriptions (dead-letter policy included). */
  public static void createTopology(MessagingConfig messaging) {
    new PubSubTopology(messaging).ensure();
  }

  private HandWiredWorker(Options o) {
    Clock clock = Clock.systemUTC();
    RetryingWarehouse retrying = new RetryingWarehouse(o.warehouse(), 4, o.warehouseRetryBackoff());
    service =
        new ProvisioningService(
            CATALOG,
            retrying,
            new ProvisioningSettings(Environment.LOCAL, "EU"),
            new PlanApplier(retrying, tablePool, 8));
    audit =
        new WarehouseAuditTrail(
            retrying, service.centralDataset(), clock, 200, Duration.ofMillis(500));
    MessagingConfig m = o.messaging();
    events =
        new PubSubSink(
            ChannelSettings.outbound(
                PubSubEmulatorFixture.outgoing(
                    o.eventsPubSubHost(), "events", m.eventsTopic(), Map.of())));
    deadLetters =
        new PubSubSink(
            ChannelSettings.outbound(
                PubSubEmulatorFixture.outgoing(
                    o.pubSubHost(), "dead-letters", m.dlqTopic(), Map.of())));
    PubSubEventPublisher publisher = new PubSubEventPublisher();
    publisher.events = new SinkEmitter(events);
    publisher.deadLetters = new SinkEmitter(deadLetters);
    relay = new OutboxRelay(o.ledger(), publisher);
    EventFactory eventFactory = new EventFactory("//org-provisioner/test");
    JobExecution execution =
        new JobExecution(
            new JobExecution.Parts(
                o.ledger(),
                new ProvisioningJobs(service, clock),
                eventFactory,
                relay,
                audit,
                Metrics.NONE,
                JobLogContext.NONE,
                clock,
                JobExecution.Sleeper.REAL,
                new java.util.Random()),
            o.execution());
    pool = new WorkerPool(o.ledger(), execution, relay, o.execution(), o.owner(), clock);
    Submission submission = new Submission(o.ledger(), eventFactory, clock, pool::dispatch);
    consumer =
        new CommandConsumer(
            CommandDecoder.fromClasspath(
                HandWiredWorker.class.getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES),
            submission,
            publisher,
            m,
            Metrics.NONE);
    commands =
        new PubSubSource(
            ChannelSettings.inbound(
                PubSubEmulatorFixture.incoming(
                    o.pubSubHost(), "commands", m.commandsSubscription(), Map.of())),
            o.replies());
  }

  /** Builds and starts an instance: workers first, then the subscriber. */
  public static HandWiredWorker start(Options options) {
    HandWiredWorker worker = new HandWiredWorker(options);
    worker.pool.start();
    worker.commands.subscribe(
        new Flow.Subscriber<Message<?>>() {
          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
          }

          @Override
          @SuppressWarnings("unchecked")
          public void onNext(Message<?> message) {
            worker.consumer.consume((Message<byte[]>) message);
          }

          @Override
          public void onError(Throwable failure) {}

          @Override
          public void onComplete() {}
        });
    return worker;
  }

  /** Writes the buffered audit rows now. */
  public void flushAudit() {
    audit.flush();
  }

  /** Stops like the application: inbound first, then workers, then the publishers. */
  @Override
  public void close() {
    commands.stop();
    consumer.stop();
    pool.close();
    audit.close();
    events.close();
    deadLetters.close();
    tablePool.shutdownNow();
  }

  /** SmallRye's emitter, reduced to what {@link PubSubEventPublisher} uses: a serialised feed. */
  private static final class SinkEmitter extends StubEmitter {
    private final UnicastProcessor<Message<?>> feed = UnicastProcessor.create();

    SinkEmitter(PubSubSink sink) {
      feed.subscribe(sink.subscriber());
    }

    @Override
    public CompletionStage<Void> send(byte[] payload) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      send(
          Message.of(
              payload,
              () -> {
                done.complete(null);
                return CompletableFuture.completedFuture(null);
              },
              failure -> {
                done.completeExceptionally(failure);
                return CompletableFuture.completedFuture(null);
              }));
      return done;
    }

    @Override
    public synchronized <M extends Message<? extends byte[]>> void send(M message) {
      feed.onNext(message);
    }

    @Override
    public void complete() {
      feed.onComplete();
    }

    @Override
    public void error(Exception e) {
      feed.onError(e);
    }
  }
}
