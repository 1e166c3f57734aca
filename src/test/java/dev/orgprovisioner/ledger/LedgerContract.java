package dev.orgprovisioner.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.Lease;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.testing.LedgerFixtures;
import java.time.Duration;
import java.time.Instant;

/**
 * What every part of the ledger contract works with: the ledger under test, a fixed test clock and
 * shortcuts to put jobs where a test needs them. Implemented by {@link LedgerContractTest}.
 */
public interface LedgerContract {

  /** The test clock starts here; tests move it with {@link #at(long)}. */
  Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  Duration LEASE = Duration.ofSeconds(60);

  /** Shorter than production's so a heartbeating job can outlive its key in a few calls. */
  Duration KEY_TTL = Duration.ofMinutes(10);

  /** The settings every adapter under test gets (Firestore adds a collection prefix). */
  LedgerSettings SETTINGS =
      new LedgerSettings(
          "", KEY_TTL, LEASE, 40, Duration.ofSeconds(30), Duration.ofDays(30), Duration.ofDays(7));

  Ledger ledger();

  /**
   * Does to an expired key what the TTL policy eventually does: Firestore deletes the document; in
   * memory the key stays, merely expired.
   */
  void keyDeletedByTtl(CommandEnvelope envelope);

  default Instant at(long secondsAfterT0) {
    return T0.plusSeconds(secondsAfterT0);
  }

  /** The command's new job, QUEUED. */
  default Job accept(CommandEnvelope envelope, Instant now) {
    return LedgerFixtures.accept(ledger(), envelope, now);
  }

  /** The command's new job, claimed for {@code owner}. */
  default Job leased(CommandEnvelope envelope, String owner, Instant now) {
    return LedgerFixtures.acceptAndLease(ledger(), envelope, owner, now);
  }

  default Job stored(String jobId) {
    return ledger().job(jobId).orElseThrow(() -> new AssertionError("no job " + jobId));
  }

  /** Ends a running job with the event {@code "ev-<job id>"}; a FAILED one with an error. */
  default Job finish(Job running, JobState terminal, Instant now) {
    ErrorInfo error =
        terminal == JobState.FAILED ? ErrorInfo.permanent("ORG_EXISTS", "taken") : null;
    assertThat(
            ledger()
                .finish(
                    running.lease(),
                    terminal,
                    error,
                    LedgerFixtures.event("ev-" + running.id(), running.orgSlug(), now),
                    now))
        .as("finish %s", running.lease())
        .isTrue();
    return stored(running.id());
  }

  /**
   * Heartbeats {@code lease} every half lease from {@code from} until past {@code until}, as a long
   * job does; returns the time of the last heartbeat.
   */
  default Instant keepAlive(Lease lease, Instant from, Instant until) {
    Instant t = from;
    while (!t.isAfter(until)) {
      t = t.plus(LEASE.dividedBy(2));
      assertThat(ledger().heartbeat(lease, t)).as("heartbeat of %s at %s", lease, t).isPresent();
    }
    return t;
  }
}
