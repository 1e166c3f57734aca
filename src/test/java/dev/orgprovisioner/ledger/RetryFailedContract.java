package dev.orgprovisioner.ledger;

import static dev.orgprovisioner.testing.Envelopes.onboard;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.port.JobQueue.RetryOutcome;
import dev.orgprovisioner.execution.port.JobQueue.RetryResult;
import dev.orgprovisioner.testing.LedgerFixtures;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The contract of an operator's retry of a FAILED job. */
public interface RetryFailedContract extends LedgerContract {

  @Test
  default void retryFailed_queuesTheJobDueNow_withAttemptsReset_stepsKept_andItsKeyInFlight() {
    CommandEnvelope cmd = onboard("acme", "c1");
    Job job = leased(cmd, "w", T0);
    ledger().recordStep(job.lease(), "create dataset", at(1));
    Job failed = finish(job, JobState.FAILED, at(2));

    RetryResult result = ledger().retryFailed(job.id(), at(10));

    assertThat(result.outcome()).isEqualTo(RetryOutcome.RETRIED);
    Job queued = stored(job.id());
    assertThat(result.job()).isEqualTo(queued);
    assertThat(queued.state()).isEqualTo(JobState.QUEUED);
    assertThat(queued.attempts()).isZero();
    assertThat(queued.nextAttemptAt()).isEqualTo(at(10));
    assertThat(queued.leaseOwner()).isNull();
    assertThat(queued.completedSteps()).containsExactly("create dataset");
    assertThat(queued.lastError()).isEqualTo(failed.lastError());
    assertThat(ledger().claim(cmd, at(11))).isEqualTo(new ClaimResult.InFlight(job.id()));
    assertThat(ledger().claimable(at(11), 10)).extracting(Job::id).containsExactly(job.id());
    Job rerun = ledger().claim(job.id(), "w2", at(12)).orElseThrow();
    assertThat(rerun.attempts()).isEqualTo(1);
    assertThat(rerun.epoch()).isEqualTo(2);
    // The re-run's end answers the command from now on.
    assertThat(
            ledger()
                .finish(
                    rerun.lease(),
                    JobState.SUCCEEDED,
                    null,
                    LedgerFixtures.event("ev-rerun", "acme", at(13)),
                    at(13)))
        .isTrue();
    assertThat(ledger().claim(cmd, at(14)))
        .isEqualTo(new ClaimResult.Finished(job.id(), ledger().event("ev-rerun").orElseThrow()));
  }

  @Test
  default void retryFailed_ofAJobThatDidNotFail_isNotFailed_andChangesNothing() {
    Job succeeded = finish(leased(onboard("acme", "c1"), "w", T0), JobState.SUCCEEDED, at(1));
    Job running = leased(onboard("beta", "c2"), "w", T0);
    Job queued = accept(onboard("gamma", "c3"), T0);

    for (Job job : new Job[] {succeeded, running, queued}) {
      assertThat(ledger().retryFailed(job.id(), at(2)))
          .isEqualTo(new RetryResult(RetryOutcome.NOT_FAILED, job));
      assertThat(stored(job.id())).isEqualTo(job);
    }
  }

  @Test
  default void retryFailed_ofAnUnknownJob_isNotFound() {
    assertThat(ledger().retryFailed("no-such-job", T0))
        .isEqualTo(new RetryResult(RetryOutcome.NOT_FOUND, null));
  }

  @Test
  default void retryFailed_afterTheKeyExpiredAndWasReused_isKeyTaken() {
    CommandEnvelope cmd = onboard("acme", "c1");
    Job failed = finish(leased(cmd, "w", T0), JobState.FAILED, at(1));
    Instant later = T0.plus(KEY_TTL);
    ClaimResult resent = ledger().claim(cmd, later);
    assertThat(resent).isInstanceOf(ClaimResult.Claimed.class);
    String newer = ((ClaimResult.Claimed) resent).job().id();

    RetryResult result = ledger().retryFailed(failed.id(), later.plusSeconds(1));

    assertThat(result).isEqualTo(new RetryResult(RetryOutcome.KEY_TAKEN, failed));
    assertThat(stored(failed.id())).isEqualTo(failed);
    assertThat(ledger().claim(cmd, later.plusSeconds(2)))
        .isEqualTo(new ClaimResult.InFlight(newer));
  }

  @Test
  default void retryFailed_afterTheKeyExpiredUnused_takesTheKeyBack() {
    CommandEnvelope cmd = onboard("acme", "c1");
    Job failed = finish(leased(cmd, "w", T0), JobState.FAILED, at(1));
    Instant later = T0.plus(KEY_TTL).plusSeconds(1);
    keyDeletedByTtl(cmd);

    assertThat(ledger().retryFailed(failed.id(), later).outcome()).isEqualTo(RetryOutcome.RETRIED);

    assertThat(ledger().claim(cmd, later.plusSeconds(1)))
        .as("a duplicate during the re-run is recognised again")
        .isEqualTo(new ClaimResult.InFlight(failed.id()));
    assertThat(ledger().jobs(null, "acme", 10)).hasSize(1);
  }
}
