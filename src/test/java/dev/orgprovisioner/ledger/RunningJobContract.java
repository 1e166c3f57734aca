package dev.orgprovisioner.ledger;

import static dev.orgprovisioner.testing.Envelopes.onboard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.testing.LedgerFixtures;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract of a running job's own writes: heartbeat, steps, facts and how it ends. */
public interface RunningJobContract extends LedgerContract {

  @Test
  default void heartbeat_extendsTheLeaseAndTheLockByALeaseFromNow() {
    Job job = leased(onboard("acme", "c1"), "w", T0);
    Job next = accept(onboard("acme", "c2"), T0);

    assertThat(ledger().heartbeat(job.lease(), at(30))).contains(at(30).plus(LEASE));

    Instant pastFirstLease = T0.plus(LEASE).plusSeconds(10);
    assertThat(stored(job.id()).leaseExpiresAt()).isEqualTo(at(30).plus(LEASE));
    assertThat(ledger().claim(job.id(), "thief", pastFirstLease)).isEmpty();
    assertThat(ledger().claim(next.id(), "w2", pastFirstLease)).as("lock extended").isEmpty();
    assertThat(ledger().recordStep(job.lease(), "step", pastFirstLease)).isTrue();
    assertThat(ledger().claim(next.id(), "w2", at(30).plus(LEASE))).isPresent();
  }

  @Test
  default void recordStep_recordsEachStepOnce_andAResumedAttemptSeesThem() {
    Job job = leased(onboard("acme", "c1"), "crashed", T0);

    assertThat(ledger().recordStep(job.lease(), "create dataset", at(1))).isTrue();
    assertThat(ledger().recordStep(job.lease(), "create views", at(2))).isTrue();
    assertThat(ledger().recordStep(job.lease(), "create dataset", at(3))).isTrue();
    Job resumed = ledger().claim(job.id(), "rescuer", T0.plus(LEASE)).orElseThrow();

    assertThat(resumed.completedSteps()).containsExactly("create dataset", "create views");
    assertThat(resumed.attempts()).isEqualTo(2);
  }

  @Test
  default void remember_keepsTheFirstValueOfAFact_andFactsSurviveAReclaim() {
    Job job = leased(onboard("acme", "c1"), "crashed", T0);

    assertThat(ledger().remember(job.lease(), Map.of("existed", "no"), at(1)))
        .contains(Map.of("existed", "no"));
    assertThat(ledger().remember(job.lease(), Map.of("existed", "yes", "region", "EU"), at(2)))
        .contains(Map.of("existed", "no", "region", "EU"));
    Job resumed = ledger().claim(job.id(), "rescuer", T0.plus(LEASE)).orElseThrow();

    assertThat(resumed.facts()).isEqualTo(Map.of("existed", "no", "region", "EU"));
    assertThat(ledger().remember(resumed.lease(), Map.of("existed", "yes"), T0.plus(LEASE)))
        .contains(Map.of("existed", "no", "region", "EU"));
    assertThat(stored(job.id()).facts()).containsEntry("existed", "no");
  }

  @Test
  default void finish_endsTheJob_storesItsEvent_marksItsKeyFinished_andFreesTheOrg() {
    CommandEnvelope cmd = onboard("acme", "c1");
    Job job = leased(cmd, "w", T0);
    Job next = accept(onboard("acme", "c2"), T0);
    OutboxEvent event = LedgerFixtures.event("ev-1", "acme", at(5));

    assertThat(ledger().finish(job.lease(), JobState.SUCCEEDED, null, event, at(5))).isTrue();

    Job done = stored(job.id());
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.leaseOwner()).isNull();
    assertThat(done.leaseExpiresAt()).isNull();
    assertThat(done.lastError()).isNull();
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(done.updatedAt()).isEqualTo(at(5));
    assertThat(ledger().event("ev-1")).contains(event);
    assertThat(ledger().unpublished(10)).containsExactly(event);
    assertThat(ledger().claim(cmd, at(6))).isEqualTo(new ClaimResult.Finished(job.id(), event));
    assertThat(ledger().claim(next.id(), "w2", at(6))).isPresent();
  }

  @Test
  default void finish_asFailed_keepsTheError() {
    Job job = leased(onboard("acme", "c1"), "w", T0);
    ErrorInfo error = ErrorInfo.permanent("ORG_EXISTS", "acme exists with another profile");

    assertThat(
            ledger()
                .finish(
                    job.lease(),
                    JobState.FAILED,
                    error,
                    LedgerFixtures.event("ev-1", "acme", at(1)),
                    at(1)))
        .isTrue();

    assertThat(stored(job.id()).state()).isEqualTo(JobState.FAILED);
    assertThat(stored(job.id()).lastError()).isEqualTo(error);
  }

  @Test
  default void finish_withAStateThatIsNotTerminal_isAnIllegalArgument_andWritesNothing() {
    Job job = leased(onboard("acme", "c1"), "w", T0);
    OutboxEvent event = LedgerFixtures.event("ev-1", "acme", at(1));

    assertThatThrownBy(() -> ledger().finish(job.lease(), JobState.QUEUED, null, event, at(1)))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(stored(job.id())).isEqualTo(job);
    assertThat(ledger().event("ev-1")).isEmpty();
  }

  /**
   * The old finish marked the key finished whatever job it named: a command re-sent after the key
   * expired was answered with the old job's event while its own job was still to run.
   */
  @Test
  default void finish_leavesAKeyReusedByANewerCommandAlone() {
    CommandEnvelope cmd = onboard("acme", "c1");
    Job old = leased(cmd, "w", T0);
    Instant now = keepAlive(old.lease(), T0, T0.plus(KEY_TTL));
    ClaimResult resent = ledger().claim(cmd, now);
    assertThat(resent).isInstanceOf(ClaimResult.Claimed.class);
    Job newer = ((ClaimResult.Claimed) resent).job();

    assertThat(ledger().finish(old.lease(), JobState.SUCCEEDED, null, event(old), now)).isTrue();

    assertThat(stored(old.id()).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(ledger().claim(cmd, now.plusSeconds(1)))
        .as("the key still names the newer job, in flight")
        .isEqualTo(new ClaimResult.InFlight(newer.id()));
    Job newerRunning = ledger().claim(newer.id(), "w2", now.plusSeconds(2)).orElseThrow();
    finish(newerRunning, JobState.SUCCEEDED, now.plusSeconds(3));
    assertThat(ledger().claim(cmd, now.plusSeconds(4)))
        .isEqualTo(
            new ClaimResult.Finished(newer.id(), ledger().event("ev-" + newer.id()).orElseThrow()));
  }

  /** The old finish updated the key document and failed when the TTL policy had deleted it. */
  @Test
  default void finish_afterTheKeyExpiredOrWasDeleted_stillFinishes() {
    CommandEnvelope cmd = onboard("acme", "c1");
    Job job = leased(cmd, "w", T0);
    Job next = accept(onboard("acme", "c2"), T0);
    Instant now = keepAlive(job.lease(), T0, T0.plus(KEY_TTL));
    keyDeletedByTtl(cmd);

    assertThat(ledger().finish(job.lease(), JobState.SUCCEEDED, null, event(job), now)).isTrue();

    assertThat(stored(job.id()).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(ledger().event("ev-" + job.id())).isPresent();
    assertThat(ledger().claim(next.id(), "w2", now)).as("the org is free").isPresent();
    assertThat(ledger().claim(cmd, now.plusSeconds(1)))
        .as("no key was written back: the command is new again")
        .isInstanceOf(ClaimResult.Claimed.class);
  }

  @Test
  default void retryLater_queuesTheJobUntilItsNextAttempt_keepingItsAttemptAndError() {
    Job job = leased(onboard("acme", "c1"), "w", T0);
    ErrorInfo error = ErrorInfo.transientError("WAREHOUSE_TRANSIENT", "rate limited");

    assertThat(ledger().retryLater(job.lease(), at(100), error, at(5))).isTrue();

    Job queued = stored(job.id());
    assertThat(queued.state()).isEqualTo(JobState.QUEUED);
    assertThat(queued.attempts()).isEqualTo(1);
    assertThat(queued.nextAttemptAt()).isEqualTo(at(100));
    assertThat(queued.leaseOwner()).isNull();
    assertThat(queued.leaseExpiresAt()).isNull();
    assertThat(queued.lastError()).isEqualTo(error);
    assertThat(ledger().claimable(at(99), 10)).isEmpty();
    assertThat(ledger().claim(job.id(), "w2", at(99))).isEmpty();
    assertThat(ledger().claim(job.id(), "w2", at(100)))
        .hasValueSatisfying(
            j -> {
              assertThat(j.attempts()).isEqualTo(2);
              assertThat(j.epoch()).isEqualTo(2);
              assertThat(j.lastError()).isEqualTo(error);
            });
  }

  @Test
  default void release_givesTheAttemptBack_andQueuesTheJobDueNow() {
    Job job = leased(onboard("acme", "c1"), "w", T0);
    ErrorInfo error = ErrorInfo.transientError("WAREHOUSE_TRANSIENT", "rate limited");
    ledger().retryLater(job.lease(), at(10), error, at(1));
    Job second = ledger().claim(job.id(), "w", at(10)).orElseThrow();

    assertThat(ledger().release(second.lease(), at(11))).isTrue();

    Job released = stored(job.id());
    assertThat(released.state()).isEqualTo(JobState.QUEUED);
    assertThat(released.attempts()).isEqualTo(1);
    assertThat(released.nextAttemptAt()).isEqualTo(at(11));
    assertThat(released.leaseOwner()).isNull();
    assertThat(released.lastError()).as("the last real failure is kept").isEqualTo(error);
    assertThat(ledger().claimable(at(11), 10)).extracting(Job::id).containsExactly(job.id());
    assertThat(ledger().claim(job.id(), "w2", at(11)))
        .hasValueSatisfying(
            j -> {
              assertThat(j.attempts()).isEqualTo(2);
              assertThat(j.epoch()).isEqualTo(3);
            });
  }

  @Test
  default void postpone_givesTheAttemptBack_andQueuesTheJobDueThen_holdingNoLock() {
    Job job = leased(onboard("acme", "c1"), "w", T0);
    Job other = accept(onboard("acme", "c2"), at(1));

    assertThat(ledger().postpone(job.lease(), at(100), at(2))).isTrue();

    Job waiting = stored(job.id());
    assertThat(waiting.state()).isEqualTo(JobState.QUEUED);
    assertThat(waiting.attempts()).isZero();
    assertThat(waiting.nextAttemptAt()).isEqualTo(at(100));
    assertThat(ledger().claim(job.id(), "w2", at(99))).as("not due yet").isEmpty();
    assertThat(ledger().claim(other.id(), "w2", at(3)))
        .as("its org's next job runs meanwhile")
        .hasValueSatisfying(j -> assertThat(j.id()).isEqualTo(other.id()));
    assertThat(ledger().postpone(job.lease(), at(200), at(4))).as("the lease is gone").isFalse();
  }

  private OutboxEvent event(Job job) {
    return LedgerFixtures.event("ev-" + job.id(), job.orgSlug(), T0);
  }
}
