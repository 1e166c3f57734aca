package dev.orgprovisioner.execution.port;

import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.Lease;
import dev.orgprovisioner.execution.OutboxEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Port: the execution queue — jobs, their fenced leases and the per-org locks (protocol in
 * docs/execution-protocol.md). Every method that changes state is one transaction; every write
 * about a running job takes its {@link Lease} and is refused (false / empty) unless the job is
 * RUNNING under that owner and epoch, its lease unexpired at {@code now}, and its lock held by it.
 */
public interface JobQueue {

  Optional<Job> job(String jobId);

  /** One page of jobs, newest first, optionally filtered by state and org. */
  JobPage jobs(JobQuery query);

  /** The first page of {@link #jobs(JobQuery)}. */
  default List<Job> jobs(JobState state, String orgSlug, int limit) {
    return jobs(JobQuery.first(state, orgSlug, limit)).jobs();
  }

  /** How many jobs are in a state across all instances (for metrics). */
  long countJobs(JobState state);

  /**
   * Jobs a claim may take now — QUEUED and due, or RUNNING with a lapsed lease — best priority
   * first, then oldest. Claims nothing.
   */
  List<Job> claimable(Instant now, int limit);

  /**
   * Claims a job for {@code owner} when {@code jobId} is claimable: the job next in line for its
   * lock key ({@link dev.orgprovisioner.execution.NextInLine}) — itself, or one of its org ahead of
   * it — and only if the key is free (no lock, a lapsed one, or one left by that job). Increments
   * its epoch and attempts, leases it until {@code now + lease duration} and takes its lock, in one
   * transaction. Empty when nothing of that org may run now.
   */
  Optional<Job> claim(String jobId, String owner, Instant now);

  /** Claims the job next in line for one lock key (an org), if the key is free. */
  Optional<Job> claimNext(String lockKey, String owner, Instant now);

  /** Extends the lease and the lock; the new expiry, or empty when the lease was lost. */
  Optional<Instant> heartbeat(Lease lease, Instant now);

  /** Records a completed step; false when the lease was lost (the caller must stop). */
  boolean recordStep(Lease lease, String step, Instant now);

  /**
   * Records facts about the job for its later attempts; a name already recorded keeps its value.
   * Returns all the job's facts after the write, or empty when the lease was lost.
   */
  Optional<Map<String, String>> remember(Lease lease, Map<String, String> facts, Instant now);

  /**
   * Ends a job: terminal state, its event in the outbox, its idempotency key marked finished (only
   * while the key still names this job; a key that expired or was reused is left alone) and its
   * lock released, in one transaction. False when the lease was lost.
   */
  boolean finish(Lease lease, JobState terminal, ErrorInfo error, OutboxEvent event, Instant now);

  /** Puts a job back in the queue, due at {@code nextAttemptAt}, and releases its lock. */
  boolean retryLater(Lease lease, Instant nextAttemptAt, ErrorInfo error, Instant now);

  /**
   * Hands back a lease without counting the run as an attempt: QUEUED, due now, lock released
   * (graceful shutdown, or a job claimed that cannot start). False when already lost.
   */
  default boolean release(Lease lease, Instant now) {
    return postpone(lease, now, now);
  }

  /**
   * As {@link #release} but due at {@code dueAt}: a long-lived job (a roll-out) that has nothing to
   * do until then gives its org's lock and its attempt back. False when the lease was lost.
   */
  boolean postpone(Lease lease, Instant dueAt, Instant now);

  /**
   * Puts a FAILED job back in the queue, due now, for an operator: attempts start again from zero,
   * completed steps are kept and the idempotency key goes back to in flight. One transaction.
   */
  RetryResult retryFailed(String jobId, Instant now);

  /** What {@link #retryFailed} did. */
  enum RetryOutcome {
    /** The job is QUEUED again; any instance runs it when its org is free. */
    RETRIED,
    /** No job has this id. */
    NOT_FOUND,
    /** The job is not FAILED (only failed jobs are retried). */
    NOT_FAILED,
    /** The job's idempotency key now belongs to another job (it expired and was reused). */
    KEY_TAKEN
  }

  /**
   * @param job the job after the retry, or as it was when it was not retried; null when not found
   */
  record RetryResult(RetryOutcome outcome, Job job) {}

  /**
   * A page request.
   *
   * @param state null for any state
   * @param orgSlug null for any org
   * @param cursor null for the first page, else the {@link JobPage#nextCursor()} of the previous
   */
  record JobQuery(JobState state, String orgSlug, int limit, String cursor) {

    public JobQuery {
      if (limit < 1 || limit > 1000) {
        throw new IllegalArgumentException("limit must be between 1 and 1000, was " + limit);
      }
    }

    public static JobQuery first(JobState state, String orgSlug, int limit) {
      return new JobQuery(state, orgSlug, limit, null);
    }
  }

  /**
   * A page of jobs.
   *
   * @param nextCursor pass it back for the next page; null on the last page
   */
  record JobPage(List<Job> jobs, String nextCursor) {

    public JobPage {
      jobs = List.copyOf(jobs);
    }
  }
}
