package dev.orgprovisioner.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.api.core.ApiFuture;
import com.google.api.gax.core.FixedExecutorProvider;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.TopicName;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.messaging.PubSubTransport;
import dev.orgprovisioner.testing.BigQueryStubResource;
import dev.orgprovisioner.testing.EmulatorsResource;
import dev.orgprovisioner.testing.SharedEmulators;
import dev.orgprovisioner.warehouse.bigquery.BigQueryStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Goal 4 of issue 17: the worker's CPU per onboarding on the BigQuery path (the whole worker on the
 * Pub/Sub and Firestore emulators and the BigQuery REST stub through the real client, no DuckDB),
 * split by {@link CpuProfile} into Firestore, Pub/Sub, BigQuery client, planning, own code and
 * framework / JVM, the stub's own CPU left out.
 */
@QuarkusTest
@TestProfile(BigQueryCpuBenchmark.Profile.class)
@QuarkusTestResource(EmulatorsResource.class)
@Tag("bench")
class BigQueryCpuBenchmark {

  private static final int ORGS = Integer.getInteger("bench.bqcpu.orgs", 100);
  private static final int WARM_UP = Integer.getInteger("bench.bqcpu.warm-up-orgs", 50);
  private static final Duration PERIOD =
      Duration.ofMillis(Integer.getInteger("bench.bqcpu.sample-ms", 10));
  private static final Duration DEADLINE =
      Duration.ofMinutes(Integer.getInteger("bench.bqcpu.deadline-minutes", 15));
  private static final String HARNESS = "bench-harness-";

  /** The application on the BigQuery stub, the central dataset bootstrapped at start. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(BigQueryStubResource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "provisioner.bootstrap-on-start", "true", "quarkus.test.hang-detection-timeout", "60m");
    }
  }

  /** The stub's threads, by their Java name or their 15-character {@code comm}. */
  static final Predicate<String> STUB_THREAD =
      n -> n.startsWith(BigQueryStub.THREAD_PREFIX) || n.equals("HTTP-Dispatcher");

  /** The benchmark's own threads: the test thread, its publisher and subscriber, Awaitility. */
  static final Predicate<String> HARNESS_THREAD =
      n ->
          n.equals("main")
              || n.equals("java")
              || n.startsWith(HARNESS)
              || n.startsWith("awaitility")
              || n.startsWith("surefire");

  @ConfigProperty(name = "messaging.commands-topic")
  String commandsTopic;

  @ConfigProperty(name = "messaging.events-topic")
  String eventsTopic;

  @ConfigProperty(name = "execution.workers")
  int workers;

  @ConfigProperty(name = "execution.table-parallelism")
  int tableParallelism;

  private record Burst(int finished, long wallMs) {}

  @Test
  void workerCpuPerOnboarding_onTheBigQueryPath_splitByComponent() throws Exception {
    BigQueryStub stub = BigQueryStubResource.current();
    assertThat(stub).as("the application runs on the BigQuery stub").isNotNull();
    String project = SharedEmulators.PROJECT;
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
    String subscription = "bench-bqcpu-" + run;
    Set<String> onboarded = ConcurrentHashMap.newKeySet();
    Set<String> failed = ConcurrentHashMap.newKeySet();
    AtomicInteger names = new AtomicInteger();
    ScheduledExecutorService harness =
        Executors.newScheduledThreadPool(2, r -> new Thread(r, HARNESS + names.incrementAndGet()));
    try (PubSubTransport transport =
        PubSubTransport.create(Optional.of(SharedEmulators.pubSub().hostPort()))) {
      try (SubscriptionAdminClient admin = transport.subscriptionAdmin()) {
        admin.createSubscription(
            ProjectSubscriptionName.of(project, subscription),
            TopicName.of(project, eventsTopic),
            PushConfig.getDefaultInstance(),
            60);
      }
      Subscriber events =
          transport
              .subscriber(
                  ProjectSubscriptionName.of(project, subscription),
                  (m, c) -> {
                    String type = m.getAttributesMap().get("ce-type");
                    String correlation = m.getAttributesMap().get("correlation-id");
                    if ("org.onboarded".equals(type)) {
                      onboarded.add(correlation);
                    } else if ("org.onboarding.failed".equals(type)) {
                      failed.add(correlation);
                    }
                    c.ack();
                  })
              .setExecutorProvider(FixedExecutorProvider.create(harness))
              .setSystemExecutorProvider(FixedExecutorProvider.create(harness))
              .build();
      events.startAsync().awaitRunning();
      Publisher publisher =
          transport
              .publisher(TopicName.of(project, commandsTopic))
              .setEnableMessageOrdering(true)
              .setExecutorProvider(FixedExecutorProvider.create(harness))
              .build();
      try {
        // Warm-up, not measured: connections, the central tables' first writes, and the JIT (after
        // 10 orgs it still took a third of the burst's CPU compiling the BigQuery client's path).
        burst(publisher, "w" + run, WARM_UP, onboarded, failed);
        stub.clearRequests();
        CpuProfile.Result cpu;
        Burst measured;
        EmulatorCpu emulatorsBefore = EmulatorCpu.now();
        try (CpuProfile profile = new CpuProfile(PERIOD, STUB_THREAD, HARNESS_THREAD)) {
          profile.start();
          measured = burst(publisher, "m" + run, ORGS, onboarded, failed);
          cpu = profile.stop();
        }
        EmulatorCpu emulators = EmulatorCpu.now().minus(emulatorsBefore);
        Map<String, Long> requests = BigQueryApiMethods.count(stub.requests());
        new BigQueryCpuReport(ORGS, WARM_UP, PERIOD, workers, tableParallelism)
            .write(cpu, measured.finished(), measured.wallMs(), requests, emulators);
        assertThat(measured.finished())
            .as("every onboarding of the burst finished")
            .isEqualTo(ORGS);
      } finally {
        publisher.shutdown();
        publisher.awaitTermination(30, TimeUnit.SECONDS);
        events.stopAsync().awaitTerminated(30, TimeUnit.SECONDS);
      }
    } finally {
      harness.shutdownNow();
    }
  }

  /** Publishes {@code n} onboardings at once and waits for their org.onboarded events. */
  private Burst burst(
      Publisher publisher, String prefix, int n, Set<String> onboarded, Set<String> failed)
      throws Exception {
    List<String> ids = new ArrayList<>();
    List<ApiFuture<String>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String org = String.format("bq_%s_%03d", prefix, i);
      String id = "bench-" + org;
      ids.add(id);
      futures.add(
          publisher.publish(
              PubsubMessage.newBuilder()
                  .setData(
                      ByteString.copyFrom(
                          MalformedCommands.json(MalformedCommands.onboardData(org))))
                  .putAllAttributes(MalformedCommands.onboardAttributes(id))
                  .setOrderingKey(org)
                  .build()));
    }
    for (ApiFuture<String> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> onboarded.containsAll(ids) || ids.stream().anyMatch(failed::contains));
    assertThat(failed).as("no onboarding failed").doesNotContainAnyElementsOf(ids);
    int finished = (int) ids.stream().filter(onboarded::contains).count();
    return new Burst(finished, (System.nanoTime() - start) / 1_000_000);
  }
}
