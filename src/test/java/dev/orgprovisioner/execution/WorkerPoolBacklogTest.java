package dev.orgprovisioner.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.port.AuditTrail;
import dev.orgprovisioner.execution.port.JobRunner;
import dev.orgprovisioner.execution.port.Outbox;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.ledger.memory.InMemoryLedger;
import dev.orgprovisioner.provisioning.InternalCommands;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.PoolFixtures;
import dev.orgprovisioner.testing.RecordingEventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A backlog larger than the pool's hints drains at the workers' pace, not the sweep's. */
class WorkerPoolBacklogTest {

  private static final int JOBS = 60;

  private WorkerPool pool;

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.close();
    }
  }

  /** Succeeds at once, recording the org of every job it ran. */
  private static final class CountingRunner implements JobRunner {
    final Set<String> ran = ConcurrentHashMap.newKeySet();

    @Override
    public JobResult run(Job job, StepLog steps) {
      ran.add(job.orgSlug());
      return new JobResult("org.synced", Map.of("org_slug", job.orgSlug()));
    }

    @Override
    public String failureEventType(CommandType type) {
      return "org.sync.failed";
    }
  }

  @Test
  void backlogBeyondTheHints_isWorkedOffWithoutWaitingForTheSweep() {
    InMemoryLedger ledger = LedgerFixtures.inMemory(Duration.ofSeconds(60));
    Clock clock = Clock.systemUTC();
    CountingRunner runner = new CountingRunner();
    ExecutionSettings base = PoolFixtures.settings(2, 3);
    // A sweep that never comes within the test: only the workers' own refills can find the jobs
    // whose hints were dropped.
    ExecutionSettings settings =
        new ExecutionSettings(
            base.workers(),
            base.maxAttempts(),
            base.backoffBase(),
            base.backoffMax(),
            Duration.ofHours(1),
            base.heartbeatInterval(),
            base.shutdownGrace(),
            base.leaseMargin(),
            base.maxRunTime());
    pool =
        PoolFixtures.pool(
            ledger,
            runner,
            new OutboxRelay((Outbox) ledger, new RecordingEventPublisher()),
            AuditTrail.NONE,
            settings,
            "w1",
            clock);
    for (int i = 0; i < JOBS; i++) {
      Job job =
          LedgerFixtures.accept(
              ledger,
              InternalCommands.sync(
                  OrgSlug.parse("backlog_" + i), "cmd-" + i, "//test", "key-" + i, clock.instant()),
              clock.instant());
      pool.dispatch(job);
    }
    assertThat(pool.load()).as("hints held before the start").isLessThan(JOBS);

    pool.start();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ledger.countJobs(JobState.SUCCEEDED) == JOBS);
    assertThat(runner.ran).hasSize(JOBS);
    assertThat(ledger.countJobs(JobState.QUEUED)).isZero();
  }
}
