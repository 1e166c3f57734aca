package dev.orgprovisioner.bench;

import dev.orgprovisioner.app.AuditConfig;
import dev.orgprovisioner.app.CoreProducers;
import dev.orgprovisioner.app.ExecutionConfig;
import dev.orgprovisioner.app.WarehouseConfig;
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
import dev.orgprovisioner.testing.AuditTrails;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.ConfigDefaults;
import dev.orgprovisioner.testing.Folders;
import dev.orgprovisioner.warehouse.RetryingWarehouse;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;

/**
 * One file-backed embedded warehouse with the worker's onboarding path over it (ProvisioningJobs
 * behind the retrying, fenced warehouse, audit facts through WarehouseAuditTrail's drainer), its
 * central dataset bootstrapped: the benchmark's fleet and its fresh control are each one.
 */
final class DuckDbFleetRig implements AutoCloseable {

  private final ExecutorService pool;
  private final DuckDbWarehouse engine;
  private final TimedWarehouse timed;
  private final ProvisioningJobs jobs;
  private final WarehouseAuditTrail audit;

  DuckDbFleetRig(Path folder) throws IOException {
    Folders.deleteTree(folder);
    // -Dbench.duckdb.table-parallelism=1 shows each call's own time (diagnosis only).
    int parallelism =
        Integer.getInteger(
            "bench.duckdb.table-parallelism",
            ConfigDefaults.of(ExecutionConfig.class).tableParallelism());
    WarehouseConfig.DuckDb duck = ConfigDefaults.of(WarehouseConfig.class).duckdb();
    Clock clock = Clock.systemUTC();
    pool = CoreProducers.newTablePool(parallelism);
    engine =
        new DuckDbWarehouse(
            folder.toString(),
            duck.memoryLimit(),
            System.getProperty("bench.duckdb.checkpoint-threshold", duck.checkpointThreshold()),
            duck.attachedDatasets());
    timed = new TimedWarehouse(engine);
    Warehouse warehouse =
        CoreProducers.guarded(
            timed, ConfigDefaults.of(WarehouseConfig.class), RetryingWarehouse.Observer.NONE);
    ProvisioningService service =
        new ProvisioningService(
            CatalogFixtures.project(),
            warehouse,
            new ProvisioningSettings(Environment.LOCAL, "EU"),
            new PlanApplier(warehouse, pool, parallelism));
    service.bootstrap(false);
    jobs = new ProvisioningJobs(service, clock);
    audit =
        AuditTrails.inMemory(
            warehouse, service.centralDataset(), clock, ConfigDefaults.of(AuditConfig.class));
    timed.reset();
  }

  /** Per-call totals at the warehouse port since the last reset. */
  TimedWarehouse timed() {
    return timed;
  }

  /** One onboarding job as a worker runs it: its transitions, steps and run in the audit trail. */
  void onboard(String org) {
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

  /** Writes the audit facts still queued. */
  void flush() {
    audit.flush();
  }

  @Override
  public void close() {
    try (engine) {
      audit.close();
    } finally {
      pool.shutdownNow();
    }
  }
}
