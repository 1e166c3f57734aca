package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.OutboxRelay;
import dev.orgprovisioner.execution.WorkerPool;
import dev.orgprovisioner.execution.port.AuditTrail;
import dev.orgprovisioner.ledger.FirestoreLedger;
import dev.orgprovisioner.ledger.LedgerSettings;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.Envelopes;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.ManualClock;
import dev.orgprovisioner.testing.PoolFixtures;
import dev.orgprovisioner.testing.RecordingEventPublisher;
import dev.orgprovisioner.testing.SharedEmulators;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The offboarding's deadline is a job in the Firestore ledger: a worker that queued it may stop,
 * and the worker that runs after the grace period deletes the dataset.
 */
class OffboardingDeadlineRestartTest {

  private final ManualClock clock = new ManualClock(Instant.now());
  private final DuckDbWarehouse duck = new DuckDbWarehouse(":memory:");
  private final ProvisioningService service =
      new ProvisioningService(
          CatalogFixtures.project(), duck, new ProvisioningSettings(Environment.LOCAL, "EU"));
  private final FirestoreLedger ledger =
      new FirestoreLedger(
          SharedEmulators.firestoreClient(),
          new LedgerSettings(
              "offboard_" + UUID.randomUUID().toString().substring(0, 8) + "_",
              Duration.ofDays(7),
              Duration.ofSeconds(30),
              20,
              Duration.ofSeconds(60),
              Duration.ofDays(30),
              Duration.ofDays(7)));
  private final RecordingEventPublisher events = new RecordingEventPublisher();
  private WorkerPool pool;

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.close();
    }
    duck.close();
  }

  private WorkerPool start(String owner) {
    pool =
        PoolFixtures.pool(
            ledger,
            new ProvisioningJobs(service, clock, null, ledger),
            new OutboxRelay(ledger, events),
            AuditTrail.NONE,
            PoolFixtures.settings(2, 5),
            owner,
            clock);
    pool.start();
    return pool;
  }

  private Job completed(CommandEnvelope command) {
    Job job = LedgerFixtures.accept(ledger, command, clock.instant());
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ledger.job(job.id()).orElseThrow().state().isTerminal());
    Job done = ledger.job(job.id()).orElseThrow();
    assertThat(done.state()).as(done.toString()).isEqualTo(JobState.SUCCEEDED);
    return done;
  }

  @Test
  void deadlineQueuedBeforeARestart_deletesTheDatasetInTheNextWorker_whenItIsDue() {
    service.bootstrap(false);
    String org = "restart_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    start("worker-1");
    completed(Envelopes.onboard(org, "onboard-" + org));
    completed(Envelopes.offboard(org, "offboard-" + org, 1));
    List<Job> timers =
        LedgerFixtures.allJobs(ledger, JobState.QUEUED, org).stream()
            .filter(j -> j.type() == CommandType.OFFBOARD_DEADLINE)
            .toList();
    assertThat(timers).hasSize(1);
    pool.close();

    clock.advance(Duration.ofDays(1).plusMinutes(1));
    start("worker-2");

    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ledger.job(timers.get(0).id()).orElseThrow().state().isTerminal());
    assertThat(ledger.job(timers.get(0).id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(duck.freshSnapshot(org + "_local")).isEmpty();
    assertThat(service.profile(OrgSlug.parse(org)).orElseThrow())
        .containsEntry("status", "OFFBOARDED");
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !events.events("org.offboarded").isEmpty());
  }
}
