package dev.orgprovisioner.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.api.core.ApiFuture;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.TopicName;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.messaging.CommandPublisher;
import dev.orgprovisioner.messaging.PubSubTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Drives a running worker through Pub/Sub as the frontend would: a bootstrap command, then a burst
 * of onboardings, read back from the completion events, with the worker's and the emulators' CPU
 * and the worker's resident memory while they run.
 */
final class OnboardingBurst implements AutoCloseable {

  /** Orgs in the first phase: its CPU is the "first hundred" of the burst. */
  static final int WINDOW = 100;

  /** CPU time so far, in milliseconds: the worker's and both emulators' (with descendants). */
  record Cpu(long workerMs, long emulatorsMs) {
    Cpu minus(Cpu start) {
      return new Cpu(workerMs - start.workerMs, emulatorsMs - start.emulatorsMs);
    }
  }

  /** A finished burst. CPU windows are null when the burst is too small to hold both. */
  record Result(
      int orgs,
      long millis,
      Cpu total,
      Cpu firstHundred,
      Cpu lastHundred,
      long peakRssKiB,
      long meanRssKiB,
      int samples) {
    double orgsPerSecond() {
      return orgs * 1000.0 / millis;
    }
  }

  private static final String SUBSCRIPTION = "bench-startup-events";

  private final String project;
  private final long workerPid;
  private final List<ProcessHandle> emulators;
  private final PubSubTransport transport;
  private final Subscriber events;
  private final Set<String> done = ConcurrentHashMap.newKeySet();
  private final Set<String> failed = ConcurrentHashMap.newKeySet();
  private final Set<Integer> marks = ConcurrentHashMap.newKeySet();
  private final Map<Integer, Cpu> cpuAt = new ConcurrentHashMap<>();
  private final Map<Integer, Long> nanosAt = new ConcurrentHashMap<>();

  OnboardingBurst(
      String pubSubHost, String project, long workerPid, List<ProcessHandle> emulators) {
    this.project = project;
    this.workerPid = workerPid;
    this.emulators = emulators;
    this.transport = PubSubTransport.create(Optional.of(pubSubHost));
    try (SubscriptionAdminClient admin = transport.subscriptionAdmin()) {
      admin.createSubscription(
          ProjectSubscriptionName.of(project, SUBSCRIPTION),
          TopicName.of(project, "provisioning-events"),
          PushConfig.getDefaultInstance(),
          60);
    }
    this.events =
        transport
            .subscriber(
                ProjectSubscriptionName.of(project, SUBSCRIPTION),
                (m, c) -> {
                  onEvent(
                      m.getAttributesMap().get("ce-type"),
                      m.getAttributesMap().get("correlation-id"));
                  c.ack();
                })
            .build();
    events.startAsync().awaitRunning();
  }

  Cpu cpuNow() {
    long worker = ProcFigures.cpuMillis(ProcessHandle.of(workerPid).orElseThrow());
    long emu = emulators.stream().mapToLong(ProcFigures::cpuMillis).sum();
    return new Cpu(worker, emu);
  }

  private void onEvent(String type, String correlationId) {
    if (type == null || correlationId == null) {
      return;
    }
    if (type.endsWith(".failed")) {
      failed.add(correlationId);
    } else if (type.equals("org.onboarded") || type.equals("central.bootstrapped")) {
      synchronized (done) {
        if (done.add(correlationId)) {
          int n = done.size();
          nanosAt.put(n, System.nanoTime());
          if (marks.contains(n)) {
            cpuAt.put(n, cpuNow());
          }
        }
      }
    }
  }

  /** Asks for a CPU reading when the {@code n}-th completion arrives. */
  private void markAt(int n) {
    marks.add(n);
  }

  /** Publishes a bootstrap command and waits for central.bootstrapped; returns wall and CPU. */
  Map.Entry<Duration, Cpu> bootstrap() {
    done.clear();
    Cpu before = cpuNow();
    long t0 = System.nanoTime();
    try (CommandPublisher publisher =
        new CommandPublisher(transport, project, "provisioning-commands", "//bench/startup")) {
      publisher.publish(
          CommandType.BOOTSTRAP, null, Map.of("options", Map.of("dry_run", false)), null);
    }
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !done.isEmpty() || !failed.isEmpty());
    assertThat(failed).as("bootstrap did not fail").isEmpty();
    Duration wall = Duration.ofNanos(nanosAt.get(1) - t0);
    Cpu cpu = cpuNow().minus(before);
    done.clear();
    nanosAt.clear();
    return Map.entry(wall, cpu);
  }

  /**
   * Onboards {@code orgs} orgs: the first {@link #WINDOW} published at once and awaited (their CPU
   * is the first hundred's, intake included), then all the others at once (the last hundred's CPU
   * has no intake in it: the intake of a burst is done long before its last onboardings).
   */
  Result run(int orgs) throws Exception {
    boolean windows = orgs >= 2 * WINDOW;
    int first = windows ? WINDOW : orgs;
    if (windows) {
      markAt(WINDOW);
      markAt(orgs - WINDOW);
    }
    markAt(orgs);
    List<Long> rss = new ArrayList<>();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(
        () -> {
          synchronized (rss) {
            rss.add(ProcFigures.rssKiB(workerPid));
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
    Publisher publisher =
        transport
            .publisher(TopicName.of(project, "provisioning-commands"))
            .setEnableMessageOrdering(true)
            .build();
    Duration limit = Duration.ofMinutes(Math.max(10, orgs * 3L / 60));
    try {
      cpuAt.put(0, cpuNow());
      long start = System.nanoTime();
      publish(publisher, 0, first);
      awaitDone(first, limit);
      publish(publisher, first, orgs);
      awaitDone(orgs, limit);
      long millis = (nanosAt.get(orgs) - start) / 1_000_000;
      assertThat(failed).as("no onboarding failed").isEmpty();
      sampler.shutdownNow();
      synchronized (rss) {
        return new Result(
            orgs,
            millis,
            cpuAt.get(orgs).minus(cpuAt.get(0)),
            windows ? cpuAt.get(WINDOW).minus(cpuAt.get(0)) : null,
            windows ? cpuAt.get(orgs).minus(cpuAt.get(orgs - WINDOW)) : null,
            rss.stream().mapToLong(Long::longValue).max().orElseThrow(),
            Math.round(rss.stream().mapToLong(Long::longValue).average().orElseThrow()),
            rss.size());
      }
    } finally {
      sampler.shutdownNow();
      publisher.shutdown();
      publisher.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  private void awaitDone(int n, Duration limit) {
    await()
        .atMost(limit)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> cpuAt.containsKey(n) || !failed.isEmpty());
  }

  private static void publish(Publisher publisher, int from, int to) throws Exception {
    List<ApiFuture<String>> futures = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String org = String.format("startup_org_%04d", i);
      futures.add(
          publisher.publish(
              PubsubMessage.newBuilder()
                  .setData(
                      ByteString.copyFrom(
                          MalformedCommands.json(MalformedCommands.onboardData(org))))
                  .putAllAttributes(MalformedCommands.onboardAttributes("bench-" + org))
                  .setOrderingKey(org)
                  .build()));
    }
    for (ApiFuture<String> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws IOException {
    events.stopAsync();
    try {
      events.awaitTerminated(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // The subscriber's threads are daemons; the transport below is closed regardless.
    }
    transport.close();
  }
}
