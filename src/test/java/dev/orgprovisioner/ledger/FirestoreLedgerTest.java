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
import dev.orgprovisioner.testing.SharedEmulators;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Firestore ledger against the Firestore emulator. */
class FirestoreLedgerTest {

  private static final CommandDecoder DECODER =
      CommandDecoder.fromClasspath(
          FirestoreLedgerTest.class.getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);
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
    ledger = ledger(40);
  }

  private FirestoreLedger ledger(int attempts) {
    return new FirestoreLedger(
        db,
        new FirestoreLedger.Settings(
            "t" + UUID.randomUUID().toString().substring(0, 8) + "_",
            Duration.ofDays(7),
            Duration.ofSeconds(60),
            attempts,
            Duration.ofSeconds(60)));
  }

  private static CommandEnvelope onboard(String org, String id, String company) {
    Map<String, Object> data = MalformedCommands.onboardData(org);
    data.put("company_name", company);
    return ((DecodeResult.Accepted)
            DECODER.decode(
                MalformedCommands.onboardAttributes(id), MalformedCommands.json(data), org))
        .envelope();
  }

  @Test
  void firstClaim_createsARunningJobLeasedToTheClaimer() {
    ClaimResult result = ledger.claim(onboard("acme", "c1", "Acme"), "worker-a", now);

    assertThat(result)
        .isInstanceOfSatisfying(
            ClaimResult.Claimed.class,
            c -> {
              assertThat(c.job().state()).isEqualTo(JobState.RUNNING);
              assertThat(c.job().leaseOwner()).isEqualTo("worker-a");
              assertThat(c.job().priority()).isEqualTo(1);
              assertThat(ledger.job(c.job().id())).contains(c.job());
            });
  }

  @Test
  void sameKeySamePayload_isInFlightThenFinishedWithTheStoredEvent() {
    CommandEnvelope cmd = onboard("acme", "c1", "Acme");
    Job job = ((ClaimResult.Claimed) ledger.claim(cmd, "worker-a", now)).job();

    assertThat(ledger.claim(cmd, "worker-b", now)).isEqualTo(new ClaimResult.InFlight(job.id()));

    OutboxEvent event =
        new OutboxEvent("ev-1", "org.onboarded", "acme", Map.of("ce-id", "ev-1"), "{}", now, false);
    assertThat(ledger.finish(job.id(), "worker-a", JobState.SUCCEEDED, null, event, now)).isTrue();

    assertThat(ledger.claim(cmd, "worker-b", now))
        .isInstanceOfSatisfying(
            ClaimResult.Finished.class,
            f -> {
              assertThat(f.jobId()).isEqualTo(job.id());
              assertThat(f.terminalEvent().id()).isEqualTo("ev-1");
            });
    assertThat(ledger.jobs(null, "acme", 10)).hasSize(1);
  }

  @Test
  void sameKeyDifferentPayload_isAConflict() {
    ledger.claim(onboard("acme", "c1", "Acme"), "worker-a", now);

    assertThat(ledger.claim(onboard("acme", "c1", "Acme Renamed"), "worker-a", now))
        .isInstanceOf(ClaimResult.Conflict.class);
  }

  @Test
  void secondCommandForABusyOrg_isQueuedAndClaimedWhenTheFirstFinishes() {
    Job first = ((ClaimResult.Claimed) ledger.claim(onboard("acme", "c1", "Acme"), "a", now)).job();
    Job second =
        ((ClaimResult.Claimed) ledger.claim(onboard("acme", "c2", "Acme"), "a", now)).job();

    assertThat(second.state()).isEqualTo(JobState.QUEUED);
    assertThat(ledger.claimNext("acme", "a", now)).isEmpty();

    ledger.finish(
        first.id(),
        "a",
        JobState.SUCCEEDED,
        null,
        new OutboxEvent("ev-2", "org.onboarded", "acme", Map.of(), "{}", now, false),
        now);

    assertThat(ledger.claimNext("acme", "b", now))
        .hasValueSatisfying(
            j -> {
              assertThat(j.id()).isEqualTo(second.id());
              assertThat(j.state()).isEqualTo(JobState.RUNNING);
              assertThat(j.leaseOwner()).isEqualTo("b");
            });
  }

  @Test
  void expiredLease_letsAnotherWorkerResumeFromTheLastStep() {
    Job job =
        ((ClaimResult.Claimed) ledger.claim(onboard("acme", "c1", "Acme"), "crashed", now)).job();
    ledger.recordStep(job.id(), "crashed", "create dataset", now);

    assertThat(ledger.claimDue("rescuer", now.plusSeconds(30), 10)).isEmpty();
    List<Job> rescued = ledger.claimDue("rescuer", now.plusSeconds(61), 10);

    assertThat(rescued)
        .singleElement()
        .satisfies(
            j -> {
              assertThat(j.leaseOwner()).isEqualTo("rescuer");
              assertThat(j.completedSteps()).containsExactly("create dataset");
              assertThat(j.attempts()).isEqualTo(2);
            });
    assertThat(ledger.recordStep(job.id(), "crashed", "late step", now.plusSeconds(62))).isFalse();
  }

  @Test
  void retryLater_requeuesUntilDue() {
    Job job = ((ClaimResult.Claimed) ledger.claim(onboard("acme", "c1", "Acme"), "a", now)).job();
    ledger.retryLater(
        job.id(), "a", now.plusSeconds(5), ErrorInfo.transientError("X", "busy"), now);

    assertThat(ledger.claimDue("b", now.plusSeconds(1), 10)).isEmpty();
    assertThat(ledger.claimDue("b", now.plusSeconds(5), 10))
        .singleElement()
        .satisfies(j -> assertThat(j.lastError().code()).isEqualTo("X"));
  }

  @Test
  void finishedJob_putsItsEventInTheOutboxUntilMarkedPublished() {
    Job job = ((ClaimResult.Claimed) ledger.claim(onboard("acme", "c1", "Acme"), "a", now)).job();
    ledger.finish(
        job.id(),
        "a",
        JobState.FAILED,
        ErrorInfo.permanent("ORG_EXISTS", "taken"),
        new OutboxEvent("ev-3", "org.onboarding.failed", "acme", Map.of(), "{}", now, false),
        now);

    assertThat(ledger.unpublished(10)).extracting(OutboxEvent::id).containsExactly("ev-3");
    ledger.markPublished("ev-3");
    assertThat(ledger.unpublished(10)).isEmpty();
    assertThat(ledger.job(job.id()).orElseThrow().lastError().code()).isEqualTo("ORG_EXISTS");
  }

  @Test
  void batchClaim_treatsItsCommandsAsIfClaimedOneAfterAnother() {
    CommandEnvelope first = onboard("batch", "b1", "Batch");
    CommandEnvelope duplicate = onboard("batch", "b1", "Batch");
    CommandEnvelope reused = onboard("batch", "b1", "Other Name");
    CommandEnvelope sameOrg = onboard("batch", "b2", "Batch");
    CommandEnvelope otherOrg = onboard("other_batch", "b3", "Other");

    List<ClaimResult> results =
        ledger.claimAll(List.of(first, duplicate, reused, sameOrg, otherOrg), "w", now);

    assertThat(results.get(0))
        .isInstanceOfSatisfying(
            ClaimResult.Claimed.class,
            c -> assertThat(c.job().state()).isEqualTo(JobState.RUNNING));
    String firstJob = ((ClaimResult.Claimed) results.get(0)).job().id();
    assertThat(results.get(1)).isEqualTo(new ClaimResult.InFlight(firstJob));
    assertThat(results.get(2)).isEqualTo(new ClaimResult.Conflict(firstJob));
    assertThat(results.get(3))
        .isInstanceOfSatisfying(
            ClaimResult.Claimed.class, c -> assertThat(c.job().state()).isEqualTo(JobState.QUEUED));
    assertThat(results.get(4))
        .isInstanceOfSatisfying(
            ClaimResult.Claimed.class,
            c -> assertThat(c.job().state()).isEqualTo(JobState.RUNNING));
    assertThat(ledger.jobs(null, "batch", 10)).hasSize(2);
  }

  @Test
  void twentyConcurrentClaimsOfOneKey_haveExactlyOneWinner() throws Exception {
    CommandEnvelope cmd = onboard("race", "same-key", "Race Inc");
    int threads = 20;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ClaimResult>> results = new ArrayList<>();
    try {
      for (int i = 0; i < threads; i++) {
        String owner = "worker-" + i;
        Callable<ClaimResult> claim =
            () -> {
              start.await();
              return ledger.claim(cmd, owner, now);
            };
        results.add(pool.submit(claim));
      }
      start.countDown();
      List<ClaimResult> outcomes = new ArrayList<>();
      for (Future<ClaimResult> f : results) {
        outcomes.add(f.get());
      }

      assertThat(outcomes).filteredOn(r -> r instanceof ClaimResult.Claimed).hasSize(1);
      assertThat(outcomes).filteredOn(r -> r instanceof ClaimResult.InFlight).hasSize(threads - 1);
      assertThat(ledger.jobs(null, "race", 100)).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
