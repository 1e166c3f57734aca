package dev.orgprovisioner.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.port.AuditTrail;
import dev.orgprovisioner.execution.port.JobQueue;
import dev.orgprovisioner.execution.port.JobRunner;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.execution.port.Outbox;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.ledger.memory.InMemoryLedger;
import dev.orgprovisioner.provisioning.InternalCommands;
import dev.orgprovisioner.testing.ForwardingLedger;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.PoolFixtures;
import dev.orgprovisioner.testing.RecordingEventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A backlog larger than the pool's hints drains at the workers' pace, not the sweep's, and jobs
 * that cannot be claimed are not polled for.
 */
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

  /** Two workers and a sweep that never comes within a test: only the workers' refills act. */
  private static ExecutionSettings withoutSweep() {
    ExecutionSettings base = PoolFixtures.settings(2, 3);
    return new ExecutionSettings(
        base.workers(),
        base.maxAttempts(),
        base.backoffBase(),
        base.backoffMax(),
        Duration.ofHours(1),
        base.heartbeatInterval(),
        base.shutdownGrace(),
        base.leaseMargin(),
        base.maxRunTime());
  }

  private static WorkerPool poolOn(
      JobQueue queue, InMemoryLedger outbox, CountingRunner runner, Clock clock) {
    return PoolFixtures.pool(
        queue,
        runner,
        new OutboxRelay((Outbox) outbox, new RecordingEventPublisher()),
        AuditTrail.NONE,
        withoutSweep(),
        "w1",
        clock);
  }

  private static Job accept(InMemoryLedger ledger, String org, int i, Clock clock) {
    return LedgerFixtures.accept(
        ledger,
        InternalCommands.sync(
            OrgSlug.parse(org), "cmd-" + i, "//test", "key-" + i + "-" + org, clock.instant()),
        clock.instant());
  }

  @Test
  void backlogBeyondTheHints_isWorkedOffWithoutWaitingForTheSweep() {
    InMemoryLedger ledger = LedgerFixtures.inMemory(Duration.ofSeconds(60));
    Clock clock = Clock.systemUTC();
    CountingRunner runner = new CountingRunner();
    pool = poolOn(ledger, ledger, runner, clock);
    for (int i = 0; i < JOBS; i++) {
      pool.dispatch(accept(ledger, "backlog_" + i, i, clock));
    }
    assertThat(pool.load()).as("hints held before the start").isLessThan(JOBS);

    pool.start();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ledger.countJobs(JobState.SUCCEEDED) == JOBS);
    assertThat(runner.ran).hasSize(JOBS);
    assertThat(ledger.countJobs(JobState.QUEUED)).isZero();
  }

  @Test
  void backlogOfABusyOrg_isLeftToTheSweep_andOnlyAJobThatRanAsksForARefill() {
    InMemoryLedger ledger = LedgerFixtures.inMemory(Duration.ofSeconds(60));
    AtomicInteger polls = new AtomicInteger();
    Ledger counting =
        new ForwardingLedger(ledger) {
          @Override
          public List<Job> claimable(Instant now, int limit) {
            polls.incrementAndGet();
            return super.claimable(now, limit);
          }
        };
    Clock clock = Clock.systemUTC();
    CountingRunner runner = new CountingRunner();
    pool = poolOn(counting, ledger, runner, clock);
    // Another instance runs a job of the org: none of the org's other jobs can be claimed here.
    Job running = accept(ledger, "busy_org", 0, clock);
    assertThat(ledger.claim(running.id(), "elsewhere", clock.instant())).isPresent();
    for (int i = 1; i <= 20; i++) {
      pool.dispatch(accept(ledger, "busy_org", i, clock));
    }

    pool.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> pool.load() == 0);
    assertThat(runner.ran).isEmpty();
    assertThat(polls.get()).as("ledger polls for claimable jobs while none could run").isZero();

    pool.dispatch(accept(ledger, "free_org", 21, clock));
    await().atMost(Duration.ofSeconds(10)).until(() -> runner.ran.contains("free_org"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(polls.get()).as("refill after a job ran").isPositive());
    assertThat(ledger.countJobs(JobState.QUEUED)).isEqualTo(20);
  }
}
