package dev.orgprovisioner.ledger;

import static dev.orgprovisioner.testing.Envelopes.onboard;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.Lease;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.testing.LedgerFixtures;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract of fencing: every write about a running job is refused, writing nothing, unless its
 * lease is the job's current one (owner and epoch), unexpired, and the org lock names it. Each test
 * runs for every leased write.
 */
public interface LeaseFencingContract extends LedgerContract {

  /** The id of the event a refused finish would have stored. */
  String LATE_EVENT = "late-event";

  /** Every write that takes a lease, and whether the ledger accepted it. */
  enum LeasedWrite {
    HEARTBEAT {
      @Override
      public boolean apply(Ledger ledger, Lease lease, Instant now) {
        return ledger.heartbeat(lease, now).isPresent();
      }
    },
    RECORD_STEP {
      @Override
      public boolean apply(Ledger ledger, Lease lease, Instant now) {
        return ledger.recordStep(lease, "late step", now);
      }
    },
    REMEMBER {
      @Override
      public boolean apply(Ledger ledger, Lease lease, Instant now) {
        return ledger.remember(lease, Map.of("late", "fact"), now).isPresent();
      }
    },
    FINISH {
      @Override
      public boolean apply(Ledger ledger, Lease lease, Instant now) {
        return ledger.finish(
            lease, JobState.SUCCEEDED, null, LedgerFixtures.event(LATE_EVENT, "acme", now), now);
      }
    },
    RETRY_LATER {
      @Override
      public boolean apply(Ledger ledger, Lease lease, Instant now) {
        return ledger.retryLater(
            lease, now.plusSeconds(5), ErrorInfo.transientError("LATE", "late"), now);
      }
    },
    RELEASE {
      @Override
      public boolean apply(Ledger ledger, Lease lease, Instant now) {
        return ledger.release(lease, now);
      }
    },
    POSTPONE {
      @Override
      public boolean apply(Ledger ledger, Lease lease, Instant now) {
        return ledger.postpone(lease, now.plusSeconds(30), now);
      }
    };

    public abstract boolean apply(Ledger ledger, Lease lease, Instant now);
  }

  /** Asserts {@code write} is refused and leaves the job, the outbox and the key as they were. */
  private void assertRefused(LeasedWrite write, Lease lease, Instant now, CommandEnvelope cmd) {
    Job before = stored(lease.jobId());
    ClaimResult keyBefore = ledger().claim(cmd, now);

    assertThat(write.apply(ledger(), lease, now))
        .as("%s with %s at %s", write, lease, now)
        .isFalse();

    assertThat(stored(lease.jobId())).as("the job is unchanged").isEqualTo(before);
    assertThat(ledger().event(LATE_EVENT)).as("no event stored").isEmpty();
    assertThat(ledger().claim(cmd, now)).as("the key is unchanged").isEqualTo(keyBefore);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(LeasedWrite.class)
  default void leasedWrite_ofTheCurrentHolder_isAccepted(LeasedWrite write) {
    Job job = leased(onboard("acme", "c1"), "w", T0);

    assertThat(write.apply(ledger(), job.lease(), at(1))).isTrue();
    assertThat(stored(job.id()).updatedAt()).isEqualTo(at(1));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(LeasedWrite.class)
  default void leasedWrite_withAnotherOwner_isRefusedAndWritesNothing(LeasedWrite write) {
    CommandEnvelope cmd = onboard("acme", "c1");
    Job job = leased(cmd, "w", T0);

    assertRefused(write, new Lease(job.id(), "intruder", job.epoch()), at(1), cmd);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(LeasedWrite.class)
  default void leasedWrite_ofAnUnknownJob_isRefused(LeasedWrite write) {
    assertThat(write.apply(ledger(), new Lease("no-such-job", "w", 1), at(1))).isFalse();
    assertThat(ledger().event(LATE_EVENT)).isEmpty();
  }

  /** The old fence checked only the owner: the same owner re-claiming kept its old lease valid. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(LeasedWrite.class)
  default void reclaimAfterLeaseExpiry_fencesTheOldEpochOutOfEveryWrite(LeasedWrite write) {
    CommandEnvelope cmd = onboard("acme", "c1");
    Job first = leased(cmd, "w", T0);
    Job again = ledger().claim(first.id(), "w", T0.plus(LEASE)).orElseThrow();
    assertThat(again.epoch()).isEqualTo(first.epoch() + 1);

    assertRefused(write, first.lease(), T0.plus(LEASE).plusSeconds(1), cmd);
    assertThat(ledger().heartbeat(again.lease(), T0.plus(LEASE).plusSeconds(2)))
        .as("the new epoch still holds the job")
        .isPresent();
  }

  /** The old fence did not look at the lease's expiry. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(LeasedWrite.class)
  default void expiredJobLease_refusesWritesEvenFromItsOwner(LeasedWrite write) {
    CommandEnvelope cmd = onboard("acme", "c1");
    Job job = leased(cmd, "w", T0);

    assertRefused(write, job.lease(), T0.plus(LEASE), cmd);
    assertRefused(write, job.lease(), T0.plus(LEASE).plusSeconds(30), cmd);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(LeasedWrite.class)
  default void leasedWrite_onAJobNoLongerRunning_isRefused(LeasedWrite write) {
    CommandEnvelope released = onboard("acme", "c1");
    Job queued = leased(released, "w", T0);
    assertThat(ledger().release(queued.lease(), at(1))).isTrue();
    CommandEnvelope done = onboard("beta", "c2");
    Job finished = leased(done, "w", T0);
    finish(finished, JobState.SUCCEEDED, at(1));

    assertRefused(write, queued.lease(), at(2), released);
    assertRefused(write, finished.lease(), at(2), done);
  }

  /**
   * The old finish, retryLater and release deleted the org lock whoever held it, and heartbeat
   * overwrote it: a stale holder freed (or stole back) the org from the job that now runs it.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(LeasedWrite.class)
  default void staleHolder_cannotReleaseOrExtendTheLockOfTheNextJobOfItsOrg(LeasedWrite write) {
    CommandEnvelope cmdA = onboard("acme", "a");
    Job a = leased(cmdA, "slow-worker", T0);
    Job b = accept(onboard("acme", "b"), T0);
    Job c = accept(onboard("acme", "c"), T0);
    Instant lapsed = T0.plus(LEASE);
    Job bRunning = ledger().claim(b.id(), "w2", lapsed).orElseThrow();

    assertRefused(write, a.lease(), lapsed.plusSeconds(1), cmdA);

    assertThat(ledger().claim(c.id(), "w3", lapsed.plusSeconds(2)))
        .as("B still holds the org: no third job runs beside it")
        .isEmpty();
    assertThat(ledger().claimNext("acme", "w3", lapsed.plusSeconds(2))).isEmpty();
    assertThat(ledger().recordStep(bRunning.lease(), "b step", lapsed.plusSeconds(3))).isTrue();
    // B's lock lapses with B's lease, not earlier (a stale heartbeat did not shorten it) ...
    assertThat(ledger().claim(c.id(), "w3", lapsed.plus(LEASE).minusSeconds(1))).isEmpty();
    // ... nor later (a stale heartbeat did not extend it).
    assertThat(ledger().claim(c.id(), "w3", lapsed.plus(LEASE))).isPresent();
  }

  /**
   * A stale holder whose clock runs behind still believes its lease is live; the lock of the job
   * that took the org over refuses it even so.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(LeasedWrite.class)
  default void staleHolderWithASlowClock_isFencedByTheLockOfTheNextJob(LeasedWrite write) {
    CommandEnvelope cmdA = onboard("acme", "a");
    Job a = leased(cmdA, "slow-clock", T0);
    Job b = accept(onboard("acme", "b"), T0);
    Job bRunning = ledger().claim(b.id(), "w2", T0.plus(LEASE)).orElseThrow();

    // At T0 + half a lease by its own clock, A's lease has not expired.
    assertRefused(write, a.lease(), T0.plus(LEASE.dividedBy(2)), cmdA);

    assertThat(ledger().heartbeat(bRunning.lease(), T0.plus(LEASE).plusSeconds(1))).isPresent();
  }
}
