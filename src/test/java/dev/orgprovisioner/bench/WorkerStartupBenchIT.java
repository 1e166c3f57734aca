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
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.emulator.EmulatorProcess;
import dev.orgprovisioner.emulator.Emulators;
import dev.orgprovisioner.messaging.PubSubTransport;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Item 5 of the benchmark report: the packaged worker ({@code quarkus-run.jar}) started as its own
 * process against emulators this benchmark starts and a DuckDB file; time from process start to
 * {@code /q/health/ready} UP, and resident memory (VmRSS) at idle and while onboardings run. Runs
 * with failsafe after {@code package}, only in the bench profile.
 */
@Tag("bench")
class WorkerStartupBenchIT {

  private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
  private static final Path DIR = BenchReport.DIR.resolve("worker");
  private static final String PROJECT = "bench-project";
  private static final int LOAD = Integer.getInteger("bench.startup.load-orgs", 100);
  private static final String JVM_ARGS = System.getProperty("bench.worker.jvm-args", "");
  private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void startUpToReady_andResidentMemoryIdleAndUnderLoad() throws Exception {
    assertThat(JAR).as("the packaged worker (run after package)").exists();
    Files.createDirectories(DIR);
    Path duckdb = DIR.resolve("warehouse.duckdb");
    Files.deleteIfExists(duckdb);
    Files.deleteIfExists(DIR.resolve("warehouse.duckdb.wal"));
    Path log = DIR.resolve("worker.log");
    int port = freePort();

    try (EmulatorProcess pubsub = Emulators.startPubSub();
        EmulatorProcess firestore = Emulators.startFirestore()) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      if (!JVM_ARGS.isBlank()) {
        command.addAll(Arrays.asList(JVM_ARGS.trim().split("\\s+")));
      }
      command.add("-jar");
      command.add(JAR.toAbsolutePath().toString());
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
      env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
      env.put("MESSAGING_PROJECT_ID", PROJECT);
      env.put("MESSAGING_EMULATOR_HOST", pubsub.hostPort());
      env.put("MESSAGING_CREATE_TOPOLOGY", "true");
      env.put("LEDGER_PROJECT_ID", PROJECT);
      env.put("LEDGER_EMULATOR_HOST", firestore.hostPort());
      env.put("WAREHOUSE_DUCKDB_PATH", duckdb.toAbsolutePath().toString());
      env.put("PROVISIONER_BOOTSTRAP_ON_START", "true");

      long t0 = System.nanoTime();
      Process worker = builder.start();
      try {
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> !worker.isAlive() || ready(port));
        assertThat(worker.isAlive()).as("worker alive (log: %s)", log).isTrue();
        long readyMs = (System.nanoTime() - t0) / 1_000_000;
        long rssAtReady = status(worker.pid(), "VmRSS");

        // Idle: sampled every 250 ms for at least 5 s, until it has settled (within 2 MiB over
        // the last 2 s).
        List<Long> idle = new CopyOnWriteArrayList<>();
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> {
                  idle.add(status(worker.pid(), "VmRSS"));
                  if (idle.size() < 20) {
                    return false;
                  }
                  List<Long> last = idle.subList(idle.size() - 8, idle.size());
                  return last.stream().mapToLong(Long::longValue).max().orElseThrow()
                          - last.stream().mapToLong(Long::longValue).min().orElseThrow()
                      <= 2 * 1024;
                });
        long rssIdle = idle.get(idle.size() - 1);

        Load load = load(pubsub.hostPort(), worker.pid());
        long hwm = status(worker.pid(), "VmHWM");
        Double quarkusStarted = quarkusStartedSeconds(log);

        worker.destroy();
        long stopStart = System.nanoTime();
        boolean stopped = worker.waitFor(60, TimeUnit.SECONDS);
        long stopMs = (System.nanoTime() - stopStart) / 1_000_000;
        assertThat(stopped).as("worker stops on SIGTERM").isTrue();

        report(readyMs, quarkusStarted, rssAtReady, rssIdle, idle.size(), load, hwm, stopMs);
      } finally {
        if (worker.isAlive()) {
          worker.destroyForcibly();
          worker.waitFor(30, TimeUnit.SECONDS);
        }
      }
    }
  }

  private record Load(int orgs, long millis, long peakRss, long meanRss, int samples) {}

  /** Publishes {@code LOAD} onboardings and samples VmRSS until every org.onboarded arrived. */
  private Load load(String pubsubHost, long pid) throws Exception {
    String subscription = "bench-startup-events";
    Set<String> done = ConcurrentHashMap.newKeySet();
    Set<String> failed = ConcurrentHashMap.newKeySet();
    try (PubSubTransport transport = PubSubTransport.create(Optional.of(pubsubHost))) {
      try (SubscriptionAdminClient admin = transport.subscriptionAdmin()) {
        admin.createSubscription(
            ProjectSubscriptionName.of(PROJECT, subscription),
            TopicName.of(PROJECT, "provisioning-events"),
            PushConfig.getDefaultInstance(),
            60);
      }
      Subscriber events =
          transport
              .subscriber(
                  ProjectSubscriptionName.of(PROJECT, subscription),
                  (m, c) -> {
                    String type = m.getAttributesMap().get("ce-type");
                    if ("org.onboarded".equals(type)) {
                      done.add(m.getAttributesMap().get("correlation-id"));
                    } else if ("org.onboarding.failed".equals(type)) {
                      failed.add(m.getAttributesMap().get("correlation-id"));
                    }
                    c.ack();
                  })
              .build();
      events.startAsync().awaitRunning();
      Publisher publisher =
          transport
              .publisher(TopicName.of(PROJECT, "provisioning-commands"))
              .setEnableMessageOrdering(true)
              .build();
      List<Long> samples = new CopyOnWriteArrayList<>();
      try {
        long start = System.nanoTime();
        List<ApiFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < LOAD; i++) {
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
        await()
            .atMost(Duration.ofMinutes(10))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  samples.add(status(pid, "VmRSS"));
                  return done.size() + failed.size() >= LOAD;
                });
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(failed).as("no onboarding failed").isEmpty();
        return new Load(
            LOAD,
            millis,
            samples.stream().mapToLong(Long::longValue).max().orElseThrow(),
            Math.round(samples.stream().mapToLong(Long::longValue).average().orElseThrow()),
            samples.size());
      } finally {
        publisher.shutdown();
        publisher.awaitTermination(30, TimeUnit.SECONDS);
        events.stopAsync().awaitTerminated(30, TimeUnit.SECONDS);
      }
    }
  }

  private void report(
      long readyMs,
      Double quarkusStarted,
      long rssAtReady,
      long rssIdle,
      int idleSamples,
      Load load,
      long hwm,
      long stopMs) {
    double loadOverIdle = (double) load.peakRss() / rssIdle;
    BenchReport.section("worker-startup", "5. Worker start-up time and resident memory")
        .method(
            "The packaged worker (`java "
                + (JVM_ARGS.isBlank() ? "" : JVM_ARGS + " ")
                + "-jar target/quarkus-app/quarkus-run.jar`, JVM defaults"
                + (JVM_ARGS.isBlank() ? "" : " plus those flags")
                + ") started as its own process, with Pub/Sub and Firestore emulators started by"
                + " the benchmark, a DuckDB file warehouse and bootstrap-on-start. Start-up = from"
                + " ProcessBuilder.start() to the first 200 UP of /q/health/ready (polled every 50"
                + " ms; the readiness checks include Firestore and the warehouse). Resident memory ="
                + " VmRSS of /proc/<pid>/status: at ready; at idle once it settled (sampled every"
                + " 250 ms for at least 5 s, until the last 2 s vary by ≤ 2 MiB); under load while "
                + load.orgs()
                + " onboardings published at once are processed (sampled every 100 ms until every"
                + " org.onboarded arrived); peak = VmHWM after the load. Baseline for memory under"
                + " load: the same process at idle.")
        .param("load_orgs", load.orgs())
        .param("jvm_args", JVM_ARGS.isBlank() ? "(defaults)" : JVM_ARGS)
        .figure("start_to_ready_ms", readyMs)
        .figure("quarkus_reported_started_s", quarkusStarted)
        .figure("rss_at_ready_mib", rssAtReady >> 10)
        .figure("rss_idle_mib", rssIdle >> 10)
        .figure("idle_samples", idleSamples)
        .figure("rss_under_load_peak_mib", load.peakRss() >> 10)
        .figure("rss_under_load_mean_mib", load.meanRss() >> 10)
        .figure("vm_hwm_mib", hwm >> 10)
        .figure("load_duration_ms", load.millis())
        .figure("load_onboardings_per_s", Math.round(load.orgs() * 1000.0 / load.millis()))
        .figure("stop_on_sigterm_ms", stopMs)
        .ratio("rss_under_load_peak_over_idle", loadOverIdle)
        .ratio("vm_hwm_over_idle", (double) hwm / rssIdle)
        .summary("5", "worker start-up to ready (ms)", readyMs, null, null)
        .summary(
            "5",
            "resident memory (MiB): peak under load of " + load.orgs() + " onboardings vs idle",
            load.peakRss() >> 10,
            rssIdle >> 10,
            loadOverIdle)
        .lines(
            List.of(
                "| measurement | value |",
                "|---|---|",
                "| start → /q/health/ready UP | " + readyMs + " ms |",
                "| Quarkus' own \"started in\" | "
                    + (quarkusStarted == null ? "–" : quarkusStarted + " s")
                    + " |",
                "| RSS at ready | " + (rssAtReady >> 10) + " MiB |",
                "| RSS at idle (settled) | " + (rssIdle >> 10) + " MiB |",
                "| RSS under load, mean / peak | "
                    + (load.meanRss() >> 10)
                    + " / "
                    + (load.peakRss() >> 10)
                    + " MiB |",
                "| VmHWM (peak RSS of the process) | " + (hwm >> 10) + " MiB |",
                "| " + load.orgs() + " onboardings done in | " + load.millis() + " ms |",
                "| stop on SIGTERM | " + stopMs + " ms |"))
        .write();
  }

  private boolean ready(int port) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("\"UP\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A kB figure of /proc/<pid>/status, e.g. VmRSS. */
  private static long status(long pid, String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith(key + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException(key + " not in /proc/" + pid + "/status");
  }

  private static Double quarkusStartedSeconds(Path log) throws IOException {
    Matcher m = STARTED.matcher(Files.readString(log));
    return m.find() ? Double.valueOf(m.group(1)) : null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
