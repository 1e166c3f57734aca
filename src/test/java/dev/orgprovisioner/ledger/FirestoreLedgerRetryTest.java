package dev.orgprovisioner.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.Ledger.RetryOutcome;
import dev.orgprovisioner.execution.port.Ledger.RetryResult;
import dev.orgprovisioner.testing.SharedEmulators;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retrying a FAILED job for an operator: the job is queued again and its key is in flight. */
class FirestoreLedgerRetryTest {

  private static final CommandDecoder DECODER =
      CommandDecoder.fromClasspath(
          FirestoreLedgerRetryTest.class.getClassLoader(),
          CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);
  private static Firestore db;
  private FirestoreLedger ledger;
  private final Instant now = Instant.parse("2026-11-25T12:00:00Z");

  @BeforeAll
  static void connect() {
    db = SharedEmulators.firestoreClient();
  }

  @AfterAll
  static void disconnect() throws Exception {
    db.close();
  }

  @BeforeEach
  void freshCollections() {
    ledger = SharedEmulators.freshLedger(db, "retry", Duration.ofSeconds(60));
  }

  private static CommandEnvelope onboard(String org, String id) {
    return ((DecodeResult.Accepted)
            DECODER.decode(
                MalformedCommands.onboardAttributes(id),
                MalformedCommands.json(MalformedCommands.onboardData(org)),
                org))
        .envelope();
  }

  private static OutboxEvent event(String id, String type) {
    return new OutboxEvent(id, type, "acme", Map.of("ce-id", id), "{}", Instant.now(), false);
  }

  private Job finished(CommandEnvelope envelope, JobState terminal) {
    Job job = ((ClaimResult.Claimed) ledger.claim(envelope, "w", now)).job();
    assertThat(
            ledger.finish(
                job.id(),
                "w",
                terminal,
                terminal == JobState.FAILED
                    ? ErrorInfo.permanent("WAREHOUSE_PERMANENT", "x")
                    : null,
                event("ev-" + job.id(), "org.onboarding.failed"),
                now))
        .isTrue();
    return job;
  }

  @Test
  void retryOfAFailedJob_queuesItDueNowWithAttemptsReset_andItsKeyAnswersInFlight() {
    CommandEnvelope envelope = onboard("acme_retry", "c1");
    Job job = finished(envelope, JobState.FAILED);

    RetryResult result = ledger.retryFailed(job.id(), now.plusSeconds(5));

    assertThat(result.outcome()).isEqualTo(RetryOutcome.RETRIED);
    Job stored = ledger.job(job.id()).orElseThrow();
    assertThat(stored.state()).isEqualTo(JobState.QUEUED);
    assertThat(stored.attempts()).isZero();
    assertThat(stored.nextAttemptAt()).isEqualTo(now.plusSeconds(5));
    assertThat(stored.idempotencyKey()).isEqualTo(job.idempotencyKey());
    assertThat(ledger.claim(envelope, "w2", now.plusSeconds(6)))
        .isEqualTo(new ClaimResult.InFlight(job.id()));
    // The sweep takes it as any due job.
    assertThat(ledger.claimDue("w3", now.plusSeconds(7), 10))
        .extracting(Job::id)
        .containsExactly(job.id());
  }

  @Test
  void onlyFailedJobsAreRetried_andUnknownIdsAreReported() {
    Job succeeded = finished(onboard("acme_ok", "c2"), JobState.SUCCEEDED);

    assertThat(ledger.retryFailed(succeeded.id(), now).outcome())
        .isEqualTo(RetryOutcome.NOT_FAILED);
    assertThat(ledger.job(succeeded.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(ledger.retryFailed("no-such-job", now))
        .isEqualTo(new RetryResult(RetryOutcome.NOT_FOUND, null));
  }

  @Test
  void retryIsRefused_whenTheKeyExpiredAndNowBelongsToAnotherJob() {
    CommandEnvelope envelope = onboard("acme_key", "c3");
    Job failed = finished(envelope, JobState.FAILED);
    // Eight days later the key has expired and the same command starts a new job.
    Instant later = now.plus(Duration.ofDays(8));
    Job newer = ((ClaimResult.Claimed) ledger.claim(envelope, "w", later)).job();

    assertThat(ledger.retryFailed(failed.id(), later).outcome()).isEqualTo(RetryOutcome.KEY_TAKEN);
    assertThat(newer.id()).isNotEqualTo(failed.id());
    assertThat(ledger.job(failed.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
  }
}
