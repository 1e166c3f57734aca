package dev.orgprovisioner.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.app.AuditConfig;
import dev.orgprovisioner.app.CoreProducers;
import dev.orgprovisioner.app.ExecutionConfig;
import dev.orgprovisioner.app.WarehouseConfig;
import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobAudit;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.provisioning.Environment;
import dev.orgprovisioner.provisioning.JobHarness;
import dev.orgprovisioner.provisioning.PlanApplier;
import dev.orgprovisioner.provisioning.ProvisioningJobs;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.ProvisioningSettings;
import dev.orgprovisioner.provisioning.WarehouseAuditTrail;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.ConfigDefaults;
import dev.orgprovisioner.testing.Folders;
import dev.orgprovisioner.warehouse.RetryingWarehouse;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 goal 1: onboardings through the real use case on a file-backed embedded warehouse
 * against the catalog's raw DDL in a plain loop, in the same run, with CPU per onboarding at the
 * start and the end of the fleet and where the time of one onboarding goes.
 */
@Tag("bench")
class DuckDbOnboardingBenchmark {

  /** Fleet size: {@code -Dbench.duckdb.orgs} (default 1,000, the fleet). */
  private static final int ORGS = Integer.getInteger("bench.duckdb.orgs", 1000);

  private static final int WINDOW = Math.min(100, Math.max(1, ORGS / 2));

  /** Onboarding jobs at once: {@code -Dbench.duckdb.workers} (default: the worker's default). */
  private static final int WORKERS =
      Integer.getInteger(
          "bench.duckdb.workers", ConfigDefaults.of(ExecutionConfig.class).workers());

  private static final Path DIR = BenchReport.DIR.resolve("duckdb-onboarding");

  /**
   * Per org: cumulative process CPU (ms) after it, the machine's speed probed at window bounds (NaN
   * elsewhere), and the per-call totals.
   */
  private record Fleet(
      long millis,
      long[] cpuAt,
      double[] probeAt,
      Map<String, TimedWarehouse.Totals> first,
      Map<String, TimedWarehouse.Totals> last) {

    double cpuMsPerOrg(int from, int to) {
      return (cpuAt[to] - cpuAt[from]) / (double) (to - from);
    }

    /** How much slower the machine ran over the last window than over the first. */
    double machineSlowdown() {
      return MachineSpeedProbe.slowdown(probeAt, WINDOW);
    }
  }

  @Test
  void onboardingThroughput_againstRawDdl() throws IOException {
    Files.createDirectories(DIR);
    double load0 = ProcFigures.loadAverage();
    Fleet ours = onboardFleet(DIR.resolve("worker-warehouse"), WORKERS);
    double loadSeq = ProcFigures.loadAverage();
    Fleet oneAtATime = onboardFleet(DIR.resolve("worker-sequential-warehouse"), 1);
    double load1 = ProcFigures.loadAverage();
    RawDdlBaseline.Result raw = RawDdlBaseline.run(DIR.resolve("raw-ddl.duckdb"), ORGS, WINDOW);
    double load2 = ProcFigures.loadAverage();

    double oursRate = ORGS * 1000.0 / ours.millis();
    double ratio = oursRate / raw.orgsPerSecond();
    double oursFirst = ours.cpuMsPerOrg(0, WINDOW);
    double oursLast = ours.cpuMsPerOrg(ORGS - WINDOW, ORGS);
    double rawFirst = raw.cpuMsPerOrg(0, WINDOW);
    double rawLast = raw.cpuMsPerOrg(ORGS - WINDOW, ORGS);
    List<String> lines = new ArrayList<>();
    lines.add(
        "| | orgs/s | CPU ms per org, all | first "
            + WINDOW
            + " | last "
            + WINDOW
            + " | last / first | machine's slowdown (probe) | last / first, corrected |");
    lines.add("|---|---|---|---|---|---|---|---|");
    lines.add(
        row(
            "ours (ProvisioningJobs on DuckDbWarehouse), " + WORKERS + " jobs at once",
            oursRate,
            ours.cpuAt()[ORGS] / (double) ORGS,
            oursFirst,
            oursLast,
            ours.machineSlowdown()));
    double seqRate = ORGS * 1000.0 / oneAtATime.millis();
    // Jobs at once share the CPU counter's windows and the first window's JIT warm-up: the
    // flatness goal is read one job at a time.
    double seqFirst = oneAtATime.cpuMsPerOrg(0, WINDOW);
    double seqLast = oneAtATime.cpuMsPerOrg(ORGS - WINDOW, ORGS);
    lines.add(
        row(
            "ours, one job at a time",
            seqRate,
            oneAtATime.cpuAt()[ORGS] / (double) ORGS,
            seqFirst,
            seqLast,
            oneAtATime.machineSlowdown()));
    lines.add(
        row(
            "raw DDL loop",
            raw.orgsPerSecond(),
            raw.cpuMsPerOrg(),
            rawFirst,
            rawLast,
            raw.machineSlowdown(WINDOW)));
    lines.add("");
    lines.add(
        "The machine's slowdown: the CPU time of a fixed sort of 2 MiB (MachineSpeedProbe, median"
            + " of three) at the bounds of the last window against the first; this machine's"
            + " speed drifts by the hour, and the corrected ratio divides it out.");
    lines.add("");
    lines.add(
        String.format(
            Locale.ROOT,
            "Load average (1 min) before / after ours / after one at a time / after raw: %.2f /"
                + " %.2f / %.2f / %.2f",
            load0,
            loadSeq,
            load1,
            load2));
    lines.add("");
    lines.add(
        "Where one onboarding's time goes, one job at a time (wall ms per org; calls per org),"
            + " first and last "
            + WINDOW
            + " orgs:");
    lines.add("");
    lines.add("| warehouse call | calls / org | ms / org, first | ms / org, last |");
    lines.add("|---|---|---|---|");
    for (var e : oneAtATime.last().entrySet()) {
      TimedWarehouse.Totals f =
          oneAtATime.first().getOrDefault(e.getKey(), new TimedWarehouse.Totals(0, 0));
      lines.add(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %.1f |",
              e.getKey(),
              e.getValue().calls() / (double) WINDOW,
              f.nanos() / 1e6 / WINDOW,
              e.getValue().nanos() / 1e6 / WINDOW));
    }

    BenchReport.section(
            "onboarding-duckdb",
            "1b. Onboarding throughput on the embedded DuckDB warehouse against raw DDL")
        .method(
            "In one JVM, one after the other: (ours) "
                + ORGS
                + " onboarding jobs, "
                + WORKERS
                + " at once (execution.workers, as the worker runs them; and again one at a time on"
                + " another file), through ProvisioningJobs (profile read, snapshot, plan, plan applied with"
                + " execution.table-parallelism threads, central rows) on a file-backed"
                + " DuckDbWarehouse behind the worker's retrying, fenced warehouse, with each job's"
                + " audit facts (transitions, steps, run) written through WarehouseAuditTrail's"
                + " drainer at the worker's defaults; central dataset bootstrapped before the clock"
                + " starts. (baseline) RawDdlBaseline: the same catalog's DDL (schema, tables, views,"
                + " as DuckDbWarehouse renders them) for the same number of orgs, executed in a plain"
                + " autocommit loop on one connection to another DuckDB file. CPU is the JVM's process"
                + " CPU (DuckDB's native threads included). -Dbench.duckdb.orgs sets the fleet.")
        .param("orgs", ORGS)
        .param("window", WINDOW)
        .param("workers", WORKERS)
        .figure("ours_one_at_a_time_orgs_per_s", BenchReport.round(seqRate))
        .figure("ours_orgs_per_s", BenchReport.round(oursRate))
        .figure("raw_ddl_orgs_per_s", BenchReport.round(raw.orgsPerSecond()))
        .figure("ours_cpu_ms_per_org_first", BenchReport.round(oursFirst))
        .figure("ours_cpu_ms_per_org_last", BenchReport.round(oursLast))
        .figure("raw_cpu_ms_per_org_first", BenchReport.round(rawFirst))
        .figure("raw_cpu_ms_per_org_last", BenchReport.round(rawLast))
        .figure("load_average_before_between_after", List.of(load0, load1, load2))
        .ratio("ours_over_raw_orgs_per_s", ratio)
        .ratio("ours_cpu_last_over_first", oursLast / oursFirst)
        .ratio("one_at_a_time_cpu_last_over_first", seqLast / seqFirst)
        .ratio("machine_slowdown_one_at_a_time", oneAtATime.machineSlowdown())
        .ratio(
            "one_at_a_time_cpu_last_over_first_corrected",
            seqLast / seqFirst / oneAtATime.machineSlowdown())
        .summary(
            "1",
            "onboardings/s on embedded DuckDB, " + ORGS + " orgs, vs raw DDL loop",
            BenchReport.round(oursRate),
            BenchReport.round(raw.orgsPerSecond()),
            ratio,
            Goal.ratioAtLeast(0.5))
        .key("onboarding-duckdb-throughput")
        .summary(
            "1",
            "CPU ms per onboarding one at a time, last vs first "
                + WINDOW
                + " of "
                + ORGS
                + " orgs",
            BenchReport.round(seqLast),
            BenchReport.round(seqFirst),
            seqLast / seqFirst,
            Goal.ratioAtMost(1.2))
        .key("onboarding-duckdb-cpu-flat")
        .lines(lines)
        .write();
    assertThat(ours.cpuAt()[ORGS]).isPositive();
  }

  private static String row(
      String what, double rate, double all, double first, double last, double slowdown) {
    return String.format(
        Locale.ROOT,
        "| %s | %.2f | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f |",
        what,
        rate,
        all,
        first,
        last,
        last / first,
        slowdown,
        last / first / slowdown);
  }

  private static Fleet onboardFleet(Path file, int workers) throws IOException {
    Folders.deleteTree(file);
    Catalog catalog = CatalogFixtures.project();
    // -Dbench.duckdb.table-parallelism=1 shows each call's own time (diagnosis only).
    int parallelism =
        Integer.getInteger(
            "bench.duckdb.table-parallelism",
            ConfigDefaults.of(ExecutionConfig.class).tableParallelism());
    AuditConfig auditConfig = ConfigDefaults.of(AuditConfig.class);
    ExecutorService pool = CoreProducers.newTablePool(parallelism);
    Clock clock = Clock.systemUTC();
    WarehouseConfig.DuckDb duck = ConfigDefaults.of(WarehouseConfig.class).duckdb();
    try (DuckDbWarehouse engine =
        new DuckDbWarehouse(
            file.toString(),
            duck.memoryLimit(),
            System.getProperty("bench.duckdb.checkpoint-threshold", duck.checkpointThreshold()),
            duck.attachedDatasets())) {
      TimedWarehouse timed = new TimedWarehouse(engine);
      Warehouse warehouse =
          CoreProducers.guarded(
              timed, ConfigDefaults.of(WarehouseConfig.class), RetryingWarehouse.Observer.NONE);
      ProvisioningService service =
          new ProvisioningService(
              catalog,
              warehouse,
              new ProvisioningSettings(Environment.LOCAL, "EU"),
              new PlanApplier(warehouse, pool, parallelism));
      service.bootstrap(false);
      ProvisioningJobs jobs = new ProvisioningJobs(service, clock);
      long[] cpuAt = new long[ORGS + 1];
      try (WarehouseAuditTrail audit =
          new WarehouseAuditTrail(
              warehouse,
              service.centralDataset(),
              clock,
              auditConfig.drainBatchSize(),
              auditConfig.drainInterval())) {
        timed.reset();
        MachineSpeedProbe.Series probes = new MachineSpeedProbe.Series(ORGS, WINDOW);
        long cpu0 = RawDdlBaseline.processCpuMillis();
        long t0 = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Map<String, TimedWarehouse.Totals>> first = new AtomicReference<>(Map.of());
        Runnable worker =
            () -> {
              for (int i = next.getAndIncrement(); i < ORGS; i = next.getAndIncrement()) {
                onboard(jobs, audit, RawDdlBaseline.org(i));
                int n = done.incrementAndGet();
                cpuAt[n] = RawDdlBaseline.processCpuMillis() - cpu0 - probes.cpuMillis();
                probes.after(n);
                if (n == WINDOW) {
                  first.set(timed.totals());
                }
                if (n == ORGS - WINDOW) {
                  timed.reset();
                }
                if (n % 100 == 0) {
                  System.out.printf(
                      Locale.ROOT,
                      "onboarded %d of %d, %d ms CPU so far, speed probe %.1f ms%n",
                      n,
                      ORGS,
                      cpuAt[n],
                      probes.values()[n]);
                }
              }
            };
        List<CompletableFuture<Void>> running = new ArrayList<>();
        ExecutorService jobPool = Executors.newFixedThreadPool(workers);
        try {
          for (int w = 0; w < workers; w++) {
            running.add(CompletableFuture.runAsync(worker, jobPool));
          }
          CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        } finally {
          jobPool.shutdownNow();
        }
        audit.flush();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        cpuAt[ORGS] = RawDdlBaseline.processCpuMillis() - cpu0 - probes.cpuMillis();
        return new Fleet(millis, cpuAt, probes.values(), first.get(), timed.totals());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** One onboarding job as a worker runs it: its transitions, steps and run in the audit trail. */
  private static void onboard(ProvisioningJobs jobs, WarehouseAuditTrail audit, String org) {
    Job job = JobHarness.onboard(org, null);
    Instant start = Instant.now();
    audit.record(
        new JobAudit(
            JobAudit.Kind.TRANSITION,
            job,
            JobState.QUEUED,
            JobState.RUNNING,
            null,
            0,
            job.createdAt(),
            start,
            null));
    AttemptsStepLog steps = new AttemptsStepLog().nextAttempt();
    jobs.run(job, steps);
    Instant end = Instant.now();
    int index = 0;
    for (String step : steps.completedSteps()) {
      audit.record(
          new JobAudit(JobAudit.Kind.STEP, job, null, null, step, index++, start, end, null));
    }
    audit.record(
        new JobAudit(
            JobAudit.Kind.TRANSITION,
            job,
            JobState.RUNNING,
            JobState.SUCCEEDED,
            null,
            0,
            start,
            end,
            null));
    audit.record(
        new JobAudit(
            JobAudit.Kind.RUN,
            job,
            JobState.QUEUED,
            JobState.SUCCEEDED,
            null,
            0,
            start,
            end,
            null));
  }
}
