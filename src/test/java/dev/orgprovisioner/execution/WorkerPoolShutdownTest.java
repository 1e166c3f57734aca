package dev.orgprovisioner.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.ledger.memory.InMemoryLedger;
import dev.orgprovisioner.provisioning.Environment;
import dev.orgprovisioner.provisioning.PlanApplier;
import dev.orgprovisioner.provisioning.ProvisioningJobs;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.ProvisioningSettings;
import dev.orgprovisioner.provisioning.WarehouseAuditTrail;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.GatedWarehouse;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.PoolFixtures;
import dev.orgprovisioner.testing.RecordingEventPublisher;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown of the worker pool against DuckDB and the in-memory ledger: a job that ends
 * within the grace period completes; a job stuck in a warehouse call and a job not yet started get
 * their leases handed back, so another instance runs them at once.
 */
class WorkerPoolShutdownTest {

  private static final Duration GRACE = Duration.ofSeconds(8);
  private static final CommandDecoder DECODER =
      CommandDecoder.fromClasspath(
          WorkerPoolShutdownTest.class.getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);

  private final Clock clock = Clock.systemUTC();
  private ExecutorService tablePool;
  private DuckDbWarehouse duck;
  private GatedWarehouse warehouse;
  private InMemoryLedger ledger;
  private ProvisioningService service;
  private WarehouseAuditTrail audit;
  private RecordingEventPublisher publisher;

  @BeforeEach
  void start() {
    tablePool = Executors.newFixedThreadPool(4);
    duck = new DuckDbWarehouse(":memory:");
    warehouse = new GatedWarehouse(duck);
    ledger = LedgerFixtures.inMemory(Duration.ofSeconds(60));
    publisher = new RecordingEventPublisher();
    service =
        new ProvisioningService(
            CatalogFixtures.project(),
            warehouse,
            new ProvisioningSettings(Environment.LOCAL, "EU"),
            new PlanApplier(warehouse, tablePool, 4));
    service.bootstrap(false);
    audit = new WarehouseAuditTrail(duck, "organizations", clock, 1000, Duration.ofMinutes(10));
  }

  @AfterEach
  void stop() throws Exception {
    audit.close();
    duck.close();
    tablePool.shutdownNow();
  }

  private WorkerPool pool(String owner, int workers) {
    ExecutionSettings fast = PoolFixtures.settings(workers, 6);
    WorkerPool pool =
        PoolFixtures.pool(
            ledger,
            new ProvisioningJobs(service, clock),
            new OutboxRelay(ledger, publisher),
            audit,
            new ExecutionSettings(
                fast.workers(),
                fast.maxAttempts(),
                fast.backoffBase(),
                fast.backoffMax(),
                fast.sweepInterval(),
                fast.heartbeatInterval(),
                GRACE,
                fast.leaseMargin(),
                fast.maxRunTime()),
            owner,
            clock);
    pool.start();
    return pool;
  }

  private Job submit(WorkerPool pool, String org) {
    CommandEnvelope cmd =
        ((DecodeResult.Accepted)
                DECODER.decode(
                    MalformedCommands.onboardAttributes("cmd-" + org),
                    MalformedCommands.json(MalformedCommands.onboardData(org)),
                    org))
            .envelope();
    Job job = LedgerFixtures.accept(ledger, cmd, clock.instant());
    pool.dispatch(job);
    return job;
  }

  @Test
  void shutdown_finishesAJobWithinTheGrace_andHandsBackTheLeasesOfStuckAndUnstartedJobs()
      throws Exception {
    WorkerPool first = pool("worker-1", 2);
    warehouse.close("stuck_org_local");
    warehouse.close("quick_org_local");
    Job stuck = submit(first, "stuck_org");
    Job quick = submit(first, "quick_org");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> warehouse.waitingAt("stuck_org_local") && warehouse.waitingAt("quick_org_local"));
    // Both workers are busy: this one waits as a hint; nothing leases it.
    Job unstarted = submit(first, "unstarted_org");

    long began = System.nanoTime();
    CompletableFuture<Void> closing = CompletableFuture.runAsync(first::close);
    await().atMost(Duration.ofSeconds(10)).until(() -> !first.isHealthy());
    // The not-started job was never leased: it is QUEUED for any instance all along.
    assertThat(ledger.job(unstarted.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
    warehouse.open("quick_org_local");
    closing.get(60, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - began);
    Instant afterClose = clock.instant();

    assertThat(ledger.job(quick.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(took).isGreaterThanOrEqualTo(GRACE);
    for (Job handedBack : new Job[] {stuck, unstarted}) {
      Job now = ledger.job(handedBack.id()).orElseThrow();
      assertThat(now.state()).as(handedBack.orgSlug()).isEqualTo(JobState.QUEUED);
      assertThat(now.leaseOwner()).as(handedBack.orgSlug()).isNull();
      assertThat(now.nextAttemptAt()).as(handedBack.orgSlug()).isBeforeOrEqualTo(afterClose);
      assertThat(now.attempts()).as("the interrupted run is not counted").isZero();
    }

    // Another instance takes both at once (no waiting for a lease to expire) and finishes them.
    warehouse.open("stuck_org_local");
    WorkerPool second = pool("worker-2", 2);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  ledger.job(stuck.id()).orElseThrow().state() == JobState.SUCCEEDED
                      && ledger.job(unstarted.id()).orElseThrow().state() == JobState.SUCCEEDED);
    } finally {
      second.close();
    }
  }

  @Test
  void dispatchDuringShutdown_leavesTheJobQueuedForAnyInstance() {
    WorkerPool pool = pool("worker-1", 1);
    pool.close();
    Job late = submit(pool, "late_org");

    Job now = ledger.job(late.id()).orElseThrow();
    assertThat(now.state()).isEqualTo(JobState.QUEUED);
    assertThat(now.leaseOwner()).isNull();
  }
}
