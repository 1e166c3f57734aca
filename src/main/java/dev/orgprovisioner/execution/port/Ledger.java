package dev.orgprovisioner.execution.port;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.OutboxEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The port to the transactional control state (Firestore in production and tests): idempotency
 * keys, jobs, per-org locks and the outbox. Every method that changes state is one transaction.
 * Methods throw {@link LedgerUnavailableException} when the store cannot be reached.
 */
public interface Ledger {

  /**
   * Claims a command's idempotency key and creates its job, in one transaction. The job is created
   * RUNNING and leased to {@code owner} when nothing else holds its org; otherwise QUEUED. With a
   * null owner the job is only queued, for the sweep of any instance to pick up.
   */
  ClaimResult claim(CommandEnvelope envelope, String owner, Instant now);

  /**
   * Claims many commands in one transaction (the intake's batching path): same semantics as {@link
   * #claim} for each, in order, as if claimed one after another.
   */
  default List<ClaimResult> claimAll(List<CommandEnvelope> envelopes, String owner, Instant now) {
    return envelopes.stream().map(e -> claim(e, owner, now)).toList();
  }

  Optional<Job> job(String jobId);

  /** Jobs, newest first, optionally filtered by state and org; for ops and tests. */
  List<Job> jobs(JobState state, String orgSlug, int limit);

  /**
   * Puts a FAILED job back in the queue, due now, for an operator: attempts start again from zero,
   * completed steps are kept (steps are idempotent) and the idempotency key goes back to in flight,
   * so a duplicate of the command arriving meanwhile is acked instead of answered with the old
   * failure. The job ends, like any job, with a new terminal event. One transaction.
   */
  RetryResult retryFailed(String jobId, Instant now);

  /** What {@link #retryFailed} did. */
  enum RetryOutcome {
    /** The job is QUEUED again; any instance's sweep runs it when its org is free. */
    RETRIED,
    /** No job has this id. */
    NOT_FOUND,
    /** The job is not FAILED (only failed jobs are retried; see {@link RetryResult#job()}). */
    NOT_FAILED,
    /** The job's idempotency key now belongs to another job (it expired and was reused). */
    KEY_TAKEN
  }

  /**
   * @param job the job after the retry, or as it was when it was not retried; null when not found
   */
  record RetryResult(RetryOutcome outcome, Job job) {}

  /** Extends the lease of a job this owner holds; false when the lease was lost. */
  boolean heartbeat(String jobId, String owner, Instant now);

  /** Records a completed step; false when the lease was lost (the caller must stop). */
  boolean recordStep(String jobId, String owner, String step, Instant now);

  /**
   * Ends a job: terminal state, its event in the outbox, the key marked finished and the org lock
   * released, in one transaction. False when the lease was lost.
   */
  boolean finish(
      String jobId,
      String owner,
      JobState terminal,
      ErrorInfo error,
      OutboxEvent event,
      Instant now);

  /** Puts a job back in the queue for a later attempt and releases its org. */
  boolean retryLater(
      String jobId, String owner, Instant nextAttemptAt, ErrorInfo error, Instant now);

  /**
   * Claims up to {@code limit} jobs that are due: QUEUED jobs whose next attempt time has come, and
   * RUNNING jobs whose lease expired (a crashed worker). Only jobs whose org is free are claimed.
   * Returned jobs are RUNNING and leased to {@code owner}.
   */
  List<Job> claimDue(String owner, Instant now, int limit);

  /** Claims the next QUEUED job of one org (or other lock key), if that key is free. */
  Optional<Job> claimNext(String lockKey, String owner, Instant now);

  /**
   * Stores events in the outbox outside any job transition (e.g. a drift check's per-org reports);
   * storing an event id again replaces it, so a retried job does not duplicate its events.
   */
  void storeEvents(List<OutboxEvent> events);

  /** Stores a named report (JSON), replacing the previous one; e.g. the latest drift check. */
  void saveReport(String name, String json, Instant at);

  /** A named report, if one was stored. */
  Optional<String> report(String name);

  /** Outbox events not yet published, oldest first. */
  List<OutboxEvent> unpublished(int limit);

  void markPublished(String eventId);

  Optional<OutboxEvent> event(String eventId);

  // --- Operations (ops-runtime): graceful shutdown and queue metrics ---

  /**
   * Hands back the lease of a job this owner holds without counting the run as an attempt: back to
   * QUEUED, due at once, owner cleared, org released, last error kept (graceful shutdown). False
   * when the lease was already lost.
   */
  boolean release(String jobId, String owner, Instant now);

  /** How many jobs are in a state across all instances (an aggregation query; for metrics). */
  long countJobs(JobState state);
}
