package dev.orgprovisioner.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.port.AuditTrail;
import dev.orgprovisioner.execution.port.JobLogContext;
import dev.orgprovisioner.execution.port.JobQueue;
import dev.orgprovisioner.execution.port.JobRunner;
import dev.orgprovisioner.execution.port.LedgerUnavailableException;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.execution.port.Outbox;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.ledger.LedgerSettings;
import dev.orgprovisioner.ledger.memory.InMemoryLedger;
import dev.orgprovisioner.provisioning.InternalCommands;
import dev.orgprovisioner.testing.ForwardingLedger;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.ManualClock;
import dev.orgprovisioner.testing.RecordingEventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for the holes of the first execution core, each of which this test would have
 * caught: leases of queued jobs, duplicate dispatch, heartbeats starved by the sweep, worker
 * threads dying in the failure path, unbounded re-claims, and a stale attempt carrying on after its
 * lease.
 */
class WorkerPoolGuaranteesTest {

  private static final Duration LEASE = Duration.ofSeconds(60);

  private final List<WorkerPool> pools = new ArrayList<>();
  private final RecordingEventPublisher publisher = new RecordingEventPublisher();

  @AfterEach
  void stopPools() {
    pools.forEach(WorkerPool::close);
  }

  private static InMemoryLedger ledger(Duration lease) {
    return new InMemoryLedger(
        new LedgerSettings(
            "t_",
            Duration.ofDays(7),
            lease,
            10,
            Duration.ofSeconds(5),
            Duration.ofDays(30),
            Duration.ofDays(7)));
  }

  private static CommandEnvelope sync(String org, Clock clock) {
    return InternalCommands.sync(
        OrgSlug.parse(org), "cmd-" + org, "//test", "key-" + org, clock.instant());
  }

  private static ExecutionSettings settings(int workers, int maxAttempts, Duration heartbeat) {
    return new ExecutionSettings(
        workers,
        maxAttempts,
        Duration.ofMillis(10),
        Duration.ofMillis(50),
        Duration.ofMillis(50),
        heartbeat,
        Duration.ofSeconds(5),
        Duration.ofMillis(500),
        Duration.ofMinutes(5));
  }

  private WorkerPool pool(
      JobQueue queue,
      JobRunner runner,
      ExecutionSettings settings,
      String owner,
      Clock clock,
      JobExecution.Sleeper sleeper) {
    OutboxRelay relay = new OutboxRelay((Outbox) queue, publisher);
    JobExecution execution =
        new JobExecution(
            new JobExecution.Parts(
                queue,
                runner,
                new EventFactory("//test"),
                relay,
                AuditTrail.NONE,
                Metrics.NONE,
                JobLogContext.NONE,
                clock,
                sleeper,
                new Random(7)),
            settings);
    WorkerPool pool = new WorkerPool(queue, execution, relay, settings, owner, clock);
    pools.add(pool);
    return pool;
  }

  /** A runner whose jobs do what the test says, recording each call. */
  private static final class ScriptedRunner implements JobRunner {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile Consumer<Job> body = job -> {};

    @Override
    public JobResult run(Job job, StepLog steps) {
      calls.add(job.orgSlug() + "@" + job.epoch());
      body.accept(job);
      return new JobResult("org.synced", Map.of("org_slug", job.orgSlug()));
    }

    @Override
    public String failureEventType(dev.orgprovisioner.command.CommandType type) {
      return "org.sync.failed";
    }
  }

  @Test
  void burstOfJobs_leasesOnlyAsManyAsThereAreFreeWorkers() throws Exception {
    InMemoryLedger ledger = ledger(LEASE);
    Clock clock = Clock.systemUTC();
    CountDownLatch gate = new CountDownLatch(1);
    ScriptedRunner runner = new ScriptedRunner();
    runner.body =
        job -> {
          try {
            gate.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    WorkerPool pool =
        pool(ledger, runner, settings(2, 3, Duration.ofSeconds(5)), "w1", clock, d -> {});
    pool.start();

    for (int i = 0; i < 10; i++) {
      pool.dispatch(LedgerFixtures.accept(ledger, sync("org_" + i, clock), clock.instant()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> pool.running() == 2);

    assertThat(ledger.countJobs(JobState.RUNNING)).isEqualTo(2);
    assertThat(ledger.jobs(JobState.QUEUED, null, 100))
        .hasSize(8)
        .allSatisfy(j -> assertThat(j.leaseOwner()).isNull());
    gate.countDown();
    await().atMost(Duration.ofSeconds(20)).until(() -> ledger.countJobs(JobState.SUCCEEDED) == 10);
    assertThat(runner.calls).hasSize(10);
  }

  @Test
  void sameJobDispatchedTwice_runsOnce() throws Exception {
    InMemoryLedger ledger = ledger(LEASE);
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    ScriptedRunner runner = new ScriptedRunner();
    WorkerPool pool =
        pool(ledger, runner, settings(2, 3, Duration.ofSeconds(15)), "w1", clock, clock::advance);
    Job job = LedgerFixtures.accept(ledger, sync("dup_org", clock), clock.instant());

    pool.dispatch(job);
    pool.dispatch(job);
    pool.sweepOnce();

    assertThat(pool.load()).isEqualTo(1);
    while (pool.workOnce(0)) {
      // drain
    }
    assertThat(runner.calls).containsExactly("dup_org@1");
    assertThat(ledger.job(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void anOrgsLaterJobHintedFirst_runsAfterTheJobAheadOfIt() throws Exception {
    InMemoryLedger ledger = ledger(LEASE);
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    List<String> ran = new CopyOnWriteArrayList<>();
    ScriptedRunner runner = new ScriptedRunner();
    runner.body = job -> ran.add(job.commandId());
    WorkerPool pool =
        pool(ledger, runner, settings(2, 3, Duration.ofSeconds(15)), "w1", clock, clock::advance);
    OrgSlug org = OrgSlug.parse("ordered_org");
    Job first =
        LedgerFixtures.accept(
            ledger,
            InternalCommands.sync(org, "first", "//test", "k1", clock.instant()),
            clock.instant());
    clock.advance(Duration.ofMillis(1));
    Job second =
        LedgerFixtures.accept(
            ledger,
            InternalCommands.sync(org, "second", "//test", "k2", clock.instant()),
            clock.instant());

    pool.dispatch(second);
    assertThat(pool.workOnce(0)).isTrue();

    assertThat(ran).containsExactly("first", "second");
    assertThat(ledger.job(first.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(ledger.job(second.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void slowSweep_neverStarvesTheHeartbeatsOfRunningJobs() throws Exception {
    CountDownLatch sweepBlocked = new CountDownLatch(1);
    CountDownLatch releaseSweep = new CountDownLatch(1);
    AtomicInteger heartbeats = new AtomicInteger();
    InMemoryLedger store = ledger(LEASE);
    ForwardingLedger ledger =
        new ForwardingLedger(store) {
          @Override
          public List<Job> claimable(Instant now, int limit) {
            sweepBlocked.countDown();
            try {
              releaseSweep.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return super.claimable(now, limit);
          }

          @Override
          public java.util.Optional<Instant> heartbeat(Lease lease, Instant now) {
            heartbeats.incrementAndGet();
            return super.heartbeat(lease, now);
          }
        };
    Clock clock = Clock.systemUTC();
    CountDownLatch finish = new CountDownLatch(1);
    ScriptedRunner runner = new ScriptedRunner();
    runner.body =
        job -> {
          try {
            finish.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    WorkerPool pool =
        pool(ledger, runner, settings(2, 3, Duration.ofMillis(20)), "w1", clock, d -> {});
    Job job = LedgerFixtures.accept(store, sync("beat_org", clock), clock.instant());
    pool.dispatch(job);
    pool.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> pool.running() == 1);
    assertThat(sweepBlocked.await(10, TimeUnit.SECONDS)).isTrue();
    int before = heartbeats.get();

    await().atMost(Duration.ofSeconds(10)).until(() -> heartbeats.get() >= before + 5);

    assertThat(store.job(job.id()).orElseThrow().epoch()).isEqualTo(1);
    releaseSweep.countDown();
    finish.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> store.countJobs(JobState.SUCCEEDED) == 1);
  }

  @Test
  void ledgerFailingWhileAJobEnds_keepsEveryWorkerAlive_andTheJobStillEnds() throws Exception {
    AtomicInteger retryLaterFailures = new AtomicInteger(3);
    AtomicInteger finishBombs = new AtomicInteger(1);
    InMemoryLedger store = ledger(Duration.ofSeconds(2));
    ForwardingLedger ledger =
        new ForwardingLedger(store) {
          @Override
          public boolean retryLater(Lease lease, Instant next, ErrorInfo error, Instant now) {
            if (retryLaterFailures.getAndDecrement() > 0) {
              throw new LedgerUnavailableException("injected: Firestore unreachable", null);
            }
            return super.retryLater(lease, next, error, now);
          }

          @Override
          public boolean finish(
              Lease lease, JobState terminal, ErrorInfo error, OutboxEvent event, Instant now) {
            if (finishBombs.getAndDecrement() > 0) {
              throw new IllegalStateException("injected: a bug in the ledger adapter");
            }
            return super.finish(lease, terminal, error, event, now);
          }
        };
    Clock clock = Clock.systemUTC();
    AtomicInteger runs = new AtomicInteger();
    ScriptedRunner runner = new ScriptedRunner();
    runner.body =
        job -> {
          if (runs.incrementAndGet() == 1) {
            throw new JobFailedException(ErrorInfo.transientError("FLAKY", "injected"), null, null);
          }
        };
    WorkerPool pool =
        pool(ledger, runner, settings(1, 5, Duration.ofMillis(200)), "w1", clock, d -> {});
    pool.start();
    Job job = LedgerFixtures.accept(store, sync("bumpy_org", clock), clock.instant());
    pool.dispatch(job);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> store.job(job.id()).orElseThrow().state() == JobState.SUCCEEDED);

    assertThat(pool.isHealthy()).isTrue();
    assertThat(retryLaterFailures.get()).isNegative();
    // First run failed; its retry was recorded after 3 refusals; the second run's finish blew up
    // (the lease lapsed, the job was claimed again) and the third run finished it.
    assertThat(runs.get()).isEqualTo(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.events("org.synced").size() == 1);
  }

  @Test
  void jobClaimedMoreThanMaxAttempts_failsWithAttemptsExhaustedWithoutRunning() throws Exception {
    InMemoryLedger ledger = ledger(LEASE);
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    ScriptedRunner runner = new ScriptedRunner();
    WorkerPool pool =
        pool(ledger, runner, settings(1, 3, Duration.ofSeconds(15)), "w1", clock, clock::advance);
    Job job = LedgerFixtures.accept(ledger, sync("poison_org", clock), clock.instant());
    // Three instances claimed it and died (out of memory, say) before they could record anything.
    for (int i = 0; i < 3; i++) {
      assertThat(ledger.claim(job.id(), "doomed-" + i, clock.instant())).isPresent();
      clock.advance(LEASE.plusSeconds(1));
    }

    pool.sweepOnce();
    assertThat(pool.workOnce(0)).isTrue();

    Job failed = ledger.job(job.id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.lastError().code()).isEqualTo("ATTEMPTS_EXHAUSTED");
    assertThat(runner.calls).isEmpty();
    assertThat(publisher.events("org.sync.failed"))
        .singleElement()
        .satisfies(e -> assertThat(e.data()).contains("ATTEMPTS_EXHAUSTED"));
  }

  @Test
  void commandQueuedByARunningJob_continuesThatJobsTrace_andOneQueuedElsewhereStartsNone()
      throws Exception {
    InMemoryLedger ledger = ledger(LEASE);
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    dev.orgprovisioner.command.TraceContext trace =
        dev.orgprovisioner.command.TraceContext.newTrace();
    List<CommandEnvelope> queued = new CopyOnWriteArrayList<>();
    JobRunner runner =
        new JobRunner() {
          @Override
          public JobResult run(Job job, StepLog steps) {
            queued.add(sync("repair_" + job.orgSlug(), clock));
            return new JobResult("org.synced", Map.of("org_slug", job.orgSlug()));
          }

          @Override
          public String failureEventType(dev.orgprovisioner.command.CommandType type) {
            return "org.sync.failed";
          }
        };
    WorkerPool pool =
        pool(ledger, runner, settings(1, 3, Duration.ofSeconds(15)), "w1", clock, clock::advance);
    Job job =
        LedgerFixtures.accept(ledger, sync("traced_org", clock).withTrace(trace), clock.instant());
    pool.dispatch(job);

    pool.workOnce(0);

    assertThat(queued).singleElement().satisfies(c -> assertThat(c.trace()).isEqualTo(trace));
    assertThat(sync("outside_org", clock).trace()).isNull();
  }

  @Test
  void attemptWhoseLeasePassedOn_stopsBeforeItsNextStep_andCannotEndTheJob() throws Exception {
    InMemoryLedger ledger = ledger(LEASE);
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    List<String> sideEffects = new CopyOnWriteArrayList<>();
    AtomicInteger attempt = new AtomicInteger();
    JobRunner runner =
        new JobRunner() {
          @Override
          public JobResult run(Job job, StepLog steps) {
            int n = attempt.incrementAndGet();
            for (int step = 1; step <= 3; step++) {
              steps.checkLease();
              sideEffects.add("epoch" + job.epoch() + "-step" + step);
              if (n == 1 && step == 1) {
                // The first attempt stalls past its lease; another instance takes the job over.
                clock.advance(LEASE.plusSeconds(1));
                assertThat(ledger.claim(job.id(), "w2", clock.instant())).isPresent();
              }
            }
            return new JobResult("org.synced", Map.of("org_slug", job.orgSlug()));
          }

          @Override
          public String failureEventType(dev.orgprovisioner.command.CommandType type) {
            return "org.sync.failed";
          }
        };
    WorkerPool pool =
        pool(ledger, runner, settings(1, 3, Duration.ofSeconds(15)), "w1", clock, clock::advance);
    Job job = LedgerFixtures.accept(ledger, sync("stale_org", clock), clock.instant());
    pool.dispatch(job);

    pool.workOnce(0);

    assertThat(sideEffects).containsExactly("epoch1-step1");
    Job now = ledger.job(job.id()).orElseThrow();
    assertThat(now.state()).isEqualTo(JobState.RUNNING);
    assertThat(now.epoch()).isEqualTo(2);
    assertThat(now.leaseOwner()).isEqualTo("w2");
    assertThat(ledger.unpublished(10)).isEmpty();
  }
}
