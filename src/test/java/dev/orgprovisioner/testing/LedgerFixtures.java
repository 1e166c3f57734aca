package dev.orgprovisioner.testing;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.JobQueue;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.ledger.LedgerSettings;
import dev.orgprovisioner.ledger.memory.InMemoryLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Putting jobs into a ledger the way the intake and a worker would. */
public final class LedgerFixtures {

  private LedgerFixtures() {}

  /**
   * An in-memory ledger with the worker's default TTL and a lease of {@code lease}: for tests that
   * need a ledger but not Firestore ({@code LedgerContractTest} holds both to the same contract).
   */
  public static InMemoryLedger inMemory(Duration lease) {
    return new InMemoryLedger(
        new LedgerSettings(
            "test_",
            Duration.ofDays(7),
            lease,
            10,
            Duration.ofSeconds(10),
            Duration.ofDays(30),
            Duration.ofDays(7)));
  }

  /** Every job in a state (null: any) of an org (null: any), read page by page. */
  public static List<Job> allJobs(JobQueue queue, JobState state, String org) {
    List<Job> all = new ArrayList<>();
    String cursor = null;
    do {
      JobQueue.JobPage page = queue.jobs(new JobQueue.JobQuery(state, org, 1000, cursor));
      all.addAll(page.jobs());
      cursor = page.nextCursor();
    } while (cursor != null);
    return all;
  }

  /** Accepts a command (claims its key): its job, QUEUED. */
  public static Job accept(Ledger ledger, CommandEnvelope envelope, Instant now) {
    ClaimResult result = ledger.claim(envelope, now);
    if (result instanceof ClaimResult.Claimed c) {
      return c.job();
    }
    throw new AssertionError("expected a new job for " + envelope.scope() + ", got " + result);
  }

  /** Accepts a command and claims its job for {@code owner}, as a worker with a free slot does. */
  public static Job acceptAndLease(
      Ledger ledger, CommandEnvelope envelope, String owner, Instant now) {
    Job job = accept(ledger, envelope, now);
    return ledger
        .claim(job.id(), owner, now)
        .orElseThrow(() -> new AssertionError("could not claim job " + job.id()));
  }

  /**
   * A job of a running app's ledger that failed permanently with {@code error}, made so before the
   * app's workers could take it: accepted and leased as of an hour ahead, when it is not yet due
   * for them (at the real time their sweep would race the test's own claim).
   */
  public static Job failedAheadOfWorkers(
      Ledger ledger,
      CommandEnvelope envelope,
      ErrorInfo error,
      Function<Instant, OutboxEvent> terminalEvent) {
    Instant ahead = Instant.now().plus(Duration.ofHours(1));
    Job job = acceptAndLease(ledger, envelope, "test-ahead-of-workers", ahead);
    if (!ledger.finish(job.lease(), JobState.FAILED, error, terminalEvent.apply(ahead), ahead)) {
      throw new AssertionError("could not fail job " + job.id());
    }
    return job;
  }

  /** An unpublished event as a job's end or a drift check stores it. */
  public static OutboxEvent event(String id, String orderingKey, Instant createdAt) {
    return new OutboxEvent(
        id,
        "org.onboarded",
        orderingKey,
        Map.of("ce-id", id),
        "{\"id\":\"" + id + "\"}",
        createdAt,
        false);
  }
}
