package dev.orgprovisioner.ledger;

import static dev.orgprovisioner.testing.Envelopes.dueAt;
import static dev.orgprovisioner.testing.Envelopes.onboard;
import static dev.orgprovisioner.testing.Envelopes.withPriority;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.Lease;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The contract of claiming jobs: claimability, priorities and the per-org lock. */
public interface JobQueueContract extends LedgerContract {

  @Test
  default void claim_leasesTheJobUntilALeaseFromNow_inItsNextEpochAndAttempt() {
    Job queued = accept(onboard("acme", "c1"), T0);

    Optional<Job> claimed = ledger().claim(queued.id(), "w", at(5));

    assertThat(claimed).isPresent();
    Job job = claimed.get();
    assertThat(job.state()).isEqualTo(JobState.RUNNING);
    assertThat(job.leaseOwner()).isEqualTo("w");
    assertThat(job.leaseExpiresAt()).isEqualTo(at(5).plus(LEASE));
    assertThat(job.epoch()).isEqualTo(1);
    assertThat(job.attempts()).isEqualTo(1);
    assertThat(job.lease()).isEqualTo(new Lease(job.id(), "w", 1));
    assertThat(ledger().job(job.id())).contains(job);
  }

  @Test
  default void claim_ofAJobNotClaimable_isRefused() {
    Job running = leased(onboard("acme", "c1"), "w", T0);
    Job notDue = leased(onboard("beta", "c2"), "w", T0);
    ledger().retryLater(notDue.lease(), at(100), ErrorInfo.transientError("X", "busy"), at(1));
    Job done = finish(leased(onboard("gamma", "c3"), "w", T0), JobState.SUCCEEDED, at(1));

    assertThat(ledger().claim(running.id(), "thief", at(2))).as("lease still live").isEmpty();
    assertThat(ledger().claim(notDue.id(), "early", at(99))).as("not due").isEmpty();
    assertThat(ledger().claim(done.id(), "late", at(2))).as("finished").isEmpty();
    assertThat(ledger().claim("no-such-job", "w", at(2))).as("unknown").isEmpty();
    assertThat(stored(running.id())).isEqualTo(running);
  }

  @Test
  default void claimable_listsDueJobsAndLapsedLeases_bestPriorityFirstThenOldest() {
    Job low = accept(withPriority(onboard("org_low", "c1"), 3), T0);
    Job running = leased(onboard("org_run", "c2"), "w", T0);
    Job a = accept(onboard("org_a", "c3"), at(1));
    Job b = accept(withPriority(onboard("org_b", "c4"), 2), at(1));
    Job c = accept(onboard("org_c", "c5"), at(2));
    Job later = leased(onboard("org_later", "c6"), "w", at(2));
    ledger().retryLater(later.lease(), at(1000), ErrorInfo.transientError("X", "busy"), at(3));

    assertThat(ledger().claimable(at(10), 10))
        .extracting(Job::id)
        .containsExactly(a.id(), c.id(), b.id(), low.id());
    assertThat(ledger().claimable(T0.plus(LEASE), 10))
        .extracting(Job::id)
        .containsExactly(running.id(), a.id(), c.id(), b.id(), low.id());
    assertThat(ledger().claimable(T0.plus(LEASE), 2))
        .extracting(Job::id)
        .containsExactly(running.id(), a.id());
    assertThat(stored(a.id()).state()).as("claimable claims nothing").isEqualTo(JobState.QUEUED);
  }

  @Test
  default void claimable_findsANewUrgentJobBehindABacklogOfOlderLowPriorityOnes() {
    for (int i = 0; i < 12; i++) {
      accept(withPriority(onboard("org_backlog_" + i, "b" + i), 3), at(i));
    }
    Job urgent = accept(onboard("org_urgent", "u1"), at(20));

    assertThat(ledger().claimable(at(30), 2)).extracting(Job::id).startsWith(urgent.id());
  }

  @Test
  default void secondJobOfAnOrg_isNotClaimedWhileTheFirstHoldsTheLock() {
    leased(onboard("acme", "c1"), "w", T0);
    Job second = accept(onboard("acme", "c2"), T0);
    Job otherOrg = accept(onboard("beta", "c3"), T0);

    assertThat(ledger().claim(second.id(), "w2", at(1))).isEmpty();
    assertThat(ledger().claimNext("acme", "w2", at(1))).isEmpty();
    assertThat(ledger().claim(otherOrg.id(), "w2", at(1))).as("other orgs are free").isPresent();
    assertThat(stored(second.id()).state()).isEqualTo(JobState.QUEUED);
    assertThat(stored(second.id()).attempts()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = LeaseFencingContract.LeasedWrite.class,
      names = {"FINISH", "RELEASE"})
  default void endingTheLease_freesTheLockForTheNextJobOfTheOrg(
      LeaseFencingContract.LeasedWrite end) {
    Job first = leased(onboard("acme", "c1"), "w", T0);
    Job second = accept(onboard("acme", "c2"), at(1));

    assertThat(end.apply(ledger(), first.lease(), at(2))).isTrue();

    Job expected = end == LeaseFencingContract.LeasedWrite.FINISH ? second : first;
    assertThat(ledger().claim(second.id(), "w2", at(3)))
        .as("the org's first open job runs first")
        .hasValueSatisfying(j -> assertThat(j.id()).isEqualTo(expected.id()));
  }

  @Test
  default void lapsedLease_isResumedBeforeTheNextJobOfTheOrg() {
    Job first = leased(onboard("acme", "c1"), "crashed", T0);
    Job second = accept(onboard("acme", "c2"), at(1));

    assertThat(ledger().claim(second.id(), "w2", T0.plus(LEASE).minusSeconds(1))).isEmpty();
    assertThat(ledger().claim(second.id(), "w2", T0.plus(LEASE)))
        .hasValueSatisfying(
            j -> {
              assertThat(j.id()).isEqualTo(first.id());
              assertThat(j.leaseOwner()).isEqualTo("w2");
              assertThat(j.epoch()).isEqualTo(2);
            });
    assertThat(stored(second.id()).state()).isEqualTo(JobState.QUEUED);
  }

  @Test
  default void claimOfALaterJobOfAnOrg_claimsTheOneAheadOfItInstead() {
    Job first = accept(onboard("acme", "c1"), T0);
    Job second = accept(onboard("acme", "c2"), at(1));

    Optional<Job> claimed = ledger().claim(second.id(), "w", at(2));

    assertThat(claimed).hasValueSatisfying(j -> assertThat(j.id()).isEqualTo(first.id()));
    assertThat(stored(second.id()).state()).isEqualTo(JobState.QUEUED);
    finish(claimed.get(), JobState.SUCCEEDED, at(3));
    assertThat(ledger().claim(second.id(), "w", at(4)))
        .hasValueSatisfying(j -> assertThat(j.id()).isEqualTo(second.id()));
  }

  @Test
  default void aJobWaitingForItsRetry_holdsBackTheLaterJobsOfItsOrg() {
    Job first = leased(onboard("acme", "c1"), "w", T0);
    ledger().retryLater(first.lease(), at(100), ErrorInfo.transientError("X", "busy"), at(1));
    Job second = accept(onboard("acme", "c2"), at(2));
    Job otherOrg = accept(onboard("beta", "c3"), at(2));

    assertThat(ledger().claim(second.id(), "w2", at(50))).isEmpty();
    assertThat(ledger().claimNext("acme", "w2", at(50))).isEmpty();
    assertThat(ledger().claim(otherOrg.id(), "w2", at(50))).as("other orgs are free").isPresent();
    assertThat(ledger().claim(second.id(), "w2", at(100)))
        .as("the retry, when due, runs first")
        .hasValueSatisfying(j -> assertThat(j.id()).isEqualTo(first.id()));
  }

  @Test
  default void aTimerNotYetDue_holdsBackNoJobOfItsOrg() {
    Job timer = accept(dueAt(onboard("acme", "t1"), at(1000)), T0);
    Job later = accept(onboard("acme", "c2"), at(1));

    assertThat(ledger().claim(later.id(), "w", at(2)))
        .hasValueSatisfying(j -> assertThat(j.id()).isEqualTo(later.id()));
    assertThat(stored(timer.id()).state()).isEqualTo(JobState.QUEUED);
  }

  @Test
  default void claimNext_takesTheOldestWaitingJobOfItsLockKeyOnly_whateverItsPriority() {
    Job first = leased(onboard("acme", "c1"), "w", T0);
    Job older = accept(withPriority(onboard("acme", "c2"), 2), at(1));
    accept(onboard("acme", "c3"), at(2));
    accept(onboard("beta", "c4"), T0);
    finish(first, JobState.SUCCEEDED, at(3));

    assertThat(ledger().claimNext("acme", "w2", at(4)))
        .hasValueSatisfying(
            j -> {
              assertThat(j.id()).isEqualTo(older.id());
              assertThat(j.leaseOwner()).isEqualTo("w2");
            });
    assertThat(ledger().claimNext("acme", "w3", at(5))).as("the lock is held again").isEmpty();
    assertThat(ledger().claimNext("nobody", "w3", at(5))).isEmpty();
  }

  @Test
  default void twentyConcurrentClaimsOfOneJob_haveExactlyOneWinner() throws Exception {
    Job job = accept(onboard("race", "c1"), T0);
    int threads = 20;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Optional<Job>>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String owner = "worker-" + i;
        Callable<Optional<Job>> claim =
            () -> {
              start.await();
              return ledger().claim(job.id(), owner, at(1));
            };
        futures.add(pool.submit(claim));
      }
      start.countDown();
      List<Job> winners = new ArrayList<>();
      for (Future<Optional<Job>> f : futures) {
        f.get().ifPresent(winners::add);
      }

      assertThat(winners).hasSize(1);
      assertThat(stored(job.id()).epoch()).isEqualTo(1);
      assertThat(stored(job.id()).leaseOwner()).isEqualTo(winners.get(0).leaseOwner());
    } finally {
      pool.shutdownNow();
    }
  }
}
