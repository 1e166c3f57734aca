package dev.orgprovisioner.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orgprovisioner.app.NotifyConfig;
import dev.orgprovisioner.emulator.EmulatorProcess;
import dev.orgprovisioner.emulator.Emulators;
import dev.orgprovisioner.messaging.MessagingConfig;
import dev.orgprovisioner.messaging.PubSubTopology;
import dev.orgprovisioner.testing.ConfigDefaults;
import dev.orgprovisioner.testing.Folders;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, goal 2 (and goal 1 through the whole worker): the packaged worker started as its own
 * process, with its shipped JVM flags and class-data archive, against emulators this benchmark
 * starts and a DuckDB file. Start-up to ready with bootstrap off, the bootstrap (a command)
 * separately, resident memory at idle and during a burst of onboardings, the burst's throughput and
 * the CPU per onboarding of its first and last hundred. Failsafe, after {@code package}, only in
 * the bench profile.
 */
@Tag("bench")
class WorkerStartupBenchIT {

  private static final Path DIR = BenchReport.DIR.resolve("worker");
  private static final String PROJECT = "bench-project";
  private static final int LOAD = Integer.getInteger("bench.startup.load-orgs", 1_000);
  private static final WorkerProcess.Flags FLAGS =
      new WorkerProcess.Flags(
          Boolean.parseBoolean(System.getProperty("bench.worker.shipped-flags", "true")),
          Arrays.stream(System.getProperty("bench.worker.jvm-args", "").trim().split("\\s+"))
              .filter(s -> !s.isBlank())
              .toList());

  @Test
  void startUpIdleAndPeakMemory_throughputAndCpuPerOnboardingOfABurst() throws Exception {
    assertThat(WorkerProcess.JAR).as("the packaged worker (run after package)").exists();
    Files.createDirectories(DIR);
    Path duckdb = DIR.resolve("warehouse");
    Folders.deleteTree(duckdb);
    Duration training =
        FLAGS.shipped() ? WorkerProcess.trainArchive(DIR.resolve("app-cds-training.log")) : null;
    int port = freePort();

    try (EmulatorProcess pubsub = Emulators.startPubSub();
        EmulatorProcess firestore = Emulators.startFirestore()) {
      // As in production, the topology exists before the worker starts (Terraform's job there).
      createTopology(pubsub.hostPort());
      Map<String, String> env =
          Map.of(
              "QUARKUS_HTTP_HOST",
              "127.0.0.1",
              "QUARKUS_HTTP_PORT",
              String.valueOf(port),
              "MESSAGING_PROJECT_ID",
              PROJECT,
              "MESSAGING_EMULATOR_HOST",
              pubsub.hostPort(),
              "LEDGER_PROJECT_ID",
              PROJECT,
              "LEDGER_EMULATOR_HOST",
              firestore.hostPort(),
              "WAREHOUSE_KIND",
              "duckdb",
              "WAREHOUSE_DUCKDB_PATH",
              duckdb.toAbsolutePath().toString(),
              "PROVISIONER_BOOTSTRAP_ON_START",
              "false");
      // The emulators' first answers are slow (their own JIT warming up): a first start, reported
      // apart, takes them, so that the measured start meets them warm, as production's services.
      long coldReadyMs;
      try (WorkerProcess first = WorkerProcess.start(FLAGS, env, DIR.resolve("worker-first.log"))) {
        awaitReady(first, port);
        coldReadyMs = first.elapsedNanos() / 1_000_000;
        first.stop();
      }
      awaitEmulatorsSettled(List.of(pubsub.processHandle(), firestore.processHandle()));
      double loadAtStart = ProcFigures.loadAverage();
      try (WorkerProcess worker = WorkerProcess.start(FLAGS, env, DIR.resolve("worker.log"))) {
        awaitReady(worker, port);
        Start start =
            new Start(
                worker.elapsedNanos() / 1_000_000,
                ProcFigures.cpuMillis(worker.handle()),
                worker.quarkusStartedSeconds(),
                ProcFigures.rssKiB(worker.pid()),
                loadAtStart,
                training,
                coldReadyMs);

        try (OnboardingBurst burst =
            new OnboardingBurst(
                pubsub.hostPort(),
                PROJECT,
                worker.pid(),
                List.of(pubsub.processHandle(), firestore.processHandle()))) {
          Map.Entry<Duration, OnboardingBurst.Cpu> bootstrap = burst.bootstrap();
          long rssIdle = settledRss(worker.pid());
          OnboardingBurst.Result load = burst.run(LOAD);
          long hwm = ProcFigures.hwmKiB(worker.pid());
          Duration stop = worker.stop();
          new WorkerStartupReport(FLAGS.describe(), start, bootstrap, rssIdle, load, hwm, stop)
              .write(rawDdlOrgsPerSecond(LOAD));
        }
      }
    }
  }

  /** What was measured up to ready; {@code coldReadyMs}: the first start, emulators cold. */
  record Start(
      long readyMs,
      long cpuMs,
      Double quarkusStartedSeconds,
      long rssKiB,
      double loadAverage,
      Duration archiveTraining,
      long coldReadyMs) {}

  private static void awaitReady(WorkerProcess worker, int port) {
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !worker.isAlive() || worker.ready(port));
    assertThat(worker.isAlive()).as("worker alive (log: %s)", worker.log()).isTrue();
  }

  /**
   * Goal 17.1's baseline, measured in this run after the worker stopped: the raw-DDL loop's orgs
   * per second for {@code orgs} orgs on a file-backed DuckDB.
   */
  static OptionalDouble rawDdlOrgsPerSecond(int orgs) {
    return OptionalDouble.of(
        RawDdlBaseline.run(DIR.resolve("raw-ddl.duckdb"), orgs, orgs).orgsPerSecond());
  }

  /**
   * Waits until the emulators use under 5 % of a core over a second (at most 60 s, then it starts
   * anyway): after the first start their JIT compilers go on for seconds, and a start measured
   * meanwhile shares the cores with them, which production's warm services would not make it do.
   */
  private static void awaitEmulatorsSettled(List<ProcessHandle> emulators) {
    LongSupplier cpu = () -> emulators.stream().mapToLong(ProcFigures::cpuMillis).sum();
    AtomicLong last = new AtomicLong(cpu.getAsLong());
    try {
      await()
          .pollInterval(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                long now = cpu.getAsLong();
                return now - last.getAndSet(now) < 50;
              });
    } catch (ConditionTimeoutException e) {
      // Measured anyway: the report gives the load average at the start beside the figure.
    }
  }

  /**
   * VmRSS once it has settled: sampled every 250 ms, at least 30 s (an idle worker's young
   * generation fills slowly after a command), until 5 s vary ≤ 1 MiB.
   */
  private static long settledRss(long pid) {
    List<Long> idle = new CopyOnWriteArrayList<>();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              idle.add(ProcFigures.rssKiB(pid));
              if (idle.size() < 120) {
                return false;
              }
              List<Long> last = idle.subList(idle.size() - 20, idle.size());
              return last.stream().mapToLong(Long::longValue).max().orElseThrow()
                      - last.stream().mapToLong(Long::longValue).min().orElseThrow()
                  <= 1024;
            });
    return idle.get(idle.size() - 1);
  }

  private static void createTopology(String pubSubHost) {
    MessagingConfig messaging =
        ConfigDefaults.quarkusConverters(new SmallRyeConfigBuilder())
            .withMapping(MessagingConfig.class)
            .withSources(
                new PropertiesConfigSource(
                    Map.of("messaging.project-id", PROJECT, "messaging.emulator-host", pubSubHost),
                    "bench",
                    500))
            .build()
            .getConfigMapping(MessagingConfig.class);
    new PubSubTopology(messaging).ensure(ConfigDefaults.of(NotifyConfig.class).subscription());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
