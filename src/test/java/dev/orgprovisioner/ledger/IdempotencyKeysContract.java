package dev.orgprovisioner.ledger;

import static dev.orgprovisioner.testing.Envelopes.onboard;
import static dev.orgprovisioner.testing.Envelopes.withPriority;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.OutboxEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The contract of claiming commands' idempotency keys and creating their jobs. */
public interface IdempotencyKeysContract extends LedgerContract {

  @Test
  default void claimNeverLeasesANewJob() {
    ClaimResult result = ledger().claim(onboard("acme", "c1"), T0);

    assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
    Job job = ((ClaimResult.Claimed) result).job();
    assertThat(job.state()).isEqualTo(JobState.QUEUED);
    assertThat(job.leaseOwner()).isNull();
    assertThat(job.leaseExpiresAt()).isNull();
    assertThat(job.epoch()).isZero();
    assertThat(job.attempts()).isZero();
    assertThat(job.nextAttemptAt()).isEqualTo(T0);
    assertThat(ledger().countJobs(JobState.RUNNING)).isZero();
    // Nobody holds the org: any worker takes the job as its first epoch and attempt.
    assertThat(ledger().claim(job.id(), "other-worker", T0))
        .hasValueSatisfying(
            j -> {
              assertThat(j.leaseOwner()).isEqualTo("other-worker");
              assertThat(j.epoch()).isEqualTo(1);
              assertThat(j.attempts()).isEqualTo(1);
            });
  }

  @Test
  default void newJob_carriesItsCommand_andReadsBackAsCreated() {
    CommandEnvelope cmd = onboard("acme", "c1");

    Job job = accept(cmd, T0);

    assertThat(job.type()).isEqualTo(CommandType.ONBOARD);
    assertThat(job.orgSlug()).isEqualTo("acme");
    assertThat(job.lockKey()).isEqualTo("acme");
    assertThat(job.commandId()).isEqualTo("c1");
    assertThat(job.idempotencyKey()).isEqualTo(cmd.idempotencyKey());
    assertThat(job.fingerprint()).isEqualTo(cmd.fingerprint());
    assertThat(job.data()).isEqualTo(cmd.data());
    assertThat(job.attributes()).isEqualTo(cmd.attributes());
    assertThat(job.completedSteps()).isEmpty();
    assertThat(job.facts()).isEmpty();
    assertThat(job.lastError()).isNull();
    assertThat(job.createdAt()).isEqualTo(T0);
    assertThat(ledger().job(job.id())).contains(job);
  }

  @Test
  default void priority_comesFromTheEnvelope() {
    Job byType = accept(onboard("acme", "c1"), T0);
    Job lowered = accept(withPriority(onboard("beta", "c2"), 7), T0);

    assertThat(byType.priority()).isEqualTo(CommandType.ONBOARD.priority());
    assertThat(stored(lowered.id()).priority()).isEqualTo(7);
  }

  @Test
  default void sameKeySamePayload_isInFlightUntilItsJobFinishes() {
    CommandEnvelope cmd = onboard("acme", "c1");
    Job job = accept(cmd, T0);

    assertThat(ledger().claim(cmd, at(1))).isEqualTo(new ClaimResult.InFlight(job.id()));
    ledger().claim(job.id(), "w", at(2));
    assertThat(ledger().claim(cmd, at(3))).isEqualTo(new ClaimResult.InFlight(job.id()));
    assertThat(ledger().jobs(null, "acme", 10)).hasSize(1);
  }

  @Test
  default void sameKeySamePayload_afterItsJobFinished_answersWithTheStoredEvent() {
    CommandEnvelope cmd = onboard("acme", "c1");
    Job job = finish(leased(cmd, "w", T0), JobState.SUCCEEDED, at(1));
    OutboxEvent event = ledger().event("ev-" + job.id()).orElseThrow();

    assertThat(ledger().claim(cmd, at(2))).isEqualTo(new ClaimResult.Finished(job.id(), event));
    assertThat(ledger().jobs(null, "acme", 10)).hasSize(1);
  }

  @Test
  default void sameKeyOtherPayload_isAConflictNamingTheJobThatHoldsTheKey() {
    Job job = leased(onboard("acme", "c1"), "w", T0);
    CommandEnvelope reused = onboard("acme", "c1", "Acme Renamed");

    assertThat(ledger().claim(reused, at(1))).isEqualTo(new ClaimResult.Conflict(job.id()));
    finish(job, JobState.SUCCEEDED, at(2));
    assertThat(ledger().claim(reused, at(3))).isEqualTo(new ClaimResult.Conflict(job.id()));
  }

  @Test
  default void batchClaim_decidesItsCommandsInOrder_asIfClaimedOneAfterAnother() {
    CommandEnvelope first = onboard("batch", "b1", "Batch");
    CommandEnvelope duplicate = onboard("batch", "b1", "Batch");
    CommandEnvelope reused = onboard("batch", "b1", "Other Name");
    CommandEnvelope sameOrg = onboard("batch", "b2", "Batch");
    CommandEnvelope otherOrg = onboard("other_batch", "b3", "Other");

    List<ClaimResult> results =
        ledger().claimAll(List.of(first, duplicate, reused, sameOrg, otherOrg), T0);

    assertThat(results).hasSize(5);
    assertThat(results.get(0)).isInstanceOf(ClaimResult.Claimed.class);
    String firstJob = ((ClaimResult.Claimed) results.get(0)).job().id();
    assertThat(results.get(1)).isEqualTo(new ClaimResult.InFlight(firstJob));
    assertThat(results.get(2)).isEqualTo(new ClaimResult.Conflict(firstJob));
    assertThat(results.get(3)).isInstanceOf(ClaimResult.Claimed.class);
    assertThat(results.get(4)).isInstanceOf(ClaimResult.Claimed.class);
    assertThat(results)
        .filteredOn(ClaimResult.Claimed.class::isInstance)
        .extracting(r -> ((ClaimResult.Claimed) r).job().state())
        .containsOnly(JobState.QUEUED);
    assertThat(ledger().jobs(null, "batch", 10)).hasSize(2);
    assertThat(ledger().jobs(null, "other_batch", 10)).hasSize(1);
  }

  @Test
  default void batchClaim_withOneKeyAlreadyHeld_createsTheOthersAndNothingTwice() {
    CommandEnvelope held = onboard("held", "h1");
    Job holder = accept(held, T0);
    CommandEnvelope fresh = onboard("fresh", "f1");
    CommandEnvelope other = onboard("other_fresh", "f2");

    List<ClaimResult> results = ledger().claimAll(List.of(fresh, held, other), at(1));

    assertThat(results.get(0)).isInstanceOf(ClaimResult.Claimed.class);
    assertThat(results.get(1)).isEqualTo(new ClaimResult.InFlight(holder.id()));
    assertThat(results.get(2)).isInstanceOf(ClaimResult.Claimed.class);
    assertThat(ledger().jobs(null, "held", 10)).extracting(Job::id).containsExactly(holder.id());
    assertThat(ledger().jobs(null, "fresh", 10)).hasSize(1);
    assertThat(ledger().jobs(null, "other_fresh", 10)).hasSize(1);
    assertThat(ledger().claimAll(List.of(fresh, other), at(2)))
        .containsExactly(
            new ClaimResult.InFlight(((ClaimResult.Claimed) results.get(0)).job().id()),
            new ClaimResult.InFlight(((ClaimResult.Claimed) results.get(2)).job().id()));
  }

  @Test
  default void batchClaim_ofAFinishedCommandTwice_answersFinishedForBoth() {
    CommandEnvelope cmd = onboard("acme", "c1");
    Job job = finish(leased(cmd, "w", T0), JobState.SUCCEEDED, at(1));
    OutboxEvent event = ledger().event("ev-" + job.id()).orElseThrow();

    List<ClaimResult> results =
        ledger().claimAll(List.of(cmd, cmd, onboard("acme", "c1", "Other")), at(2));

    assertThat(results)
        .containsExactly(
            new ClaimResult.Finished(job.id(), event),
            new ClaimResult.Finished(job.id(), event),
            new ClaimResult.Conflict(job.id()));
  }

  @Test
  default void expiredKey_isANewCommand() {
    CommandEnvelope cmd = onboard("acme", "c1");
    Job first = accept(cmd, T0);

    assertThat(ledger().claim(cmd, T0.plus(KEY_TTL).minusSeconds(1)))
        .isEqualTo(new ClaimResult.InFlight(first.id()));
    ClaimResult again = ledger().claim(cmd, T0.plus(KEY_TTL));

    assertThat(again).isInstanceOf(ClaimResult.Claimed.class);
    String second = ((ClaimResult.Claimed) again).job().id();
    assertThat(second).isNotEqualTo(first.id());
    assertThat(ledger().claim(cmd, T0.plus(KEY_TTL).plusSeconds(1)))
        .isEqualTo(new ClaimResult.InFlight(second));
    assertThat(ledger().jobs(null, "acme", 10)).hasSize(2);
  }

  @Test
  default void expiredKeyOfAFinishedJob_isANewCommand_notItsOldAnswer() {
    CommandEnvelope cmd = onboard("acme", "c1");
    Job done = finish(leased(cmd, "w", T0), JobState.SUCCEEDED, at(1));

    ClaimResult again = ledger().claim(cmd, T0.plus(KEY_TTL));

    assertThat(again).isInstanceOf(ClaimResult.Claimed.class);
    assertThat(((ClaimResult.Claimed) again).job().id()).isNotEqualTo(done.id());
  }

  @Test
  default void twentyConcurrentClaimsOfOneKey_haveExactlyOneWinner() throws Exception {
    CommandEnvelope cmd = onboard("race", "same-key");
    int threads = 20;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<ClaimResult>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<ClaimResult> claim =
            () -> {
              start.await();
              return ledger().claim(cmd, T0);
            };
        futures.add(pool.submit(claim));
      }
      start.countDown();
      List<ClaimResult> outcomes = new ArrayList<>();
      for (Future<ClaimResult> f : futures) {
        outcomes.add(f.get());
      }

      assertThat(outcomes).filteredOn(ClaimResult.Claimed.class::isInstance).hasSize(1);
      assertThat(outcomes).filteredOn(ClaimResult.InFlight.class::isInstance).hasSize(threads - 1);
      assertThat(ledger().jobs(null, "race", 100)).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
