package dev.orgprovisioner.execution;

import dev.orgprovisioner.execution.port.AuditTrail;
import dev.orgprovisioner.execution.port.JobLogContext;
import dev.orgprovisioner.execution.port.JobQueue;
import dev.orgprovisioner.execution.port.JobRunner;
import dev.orgprovisioner.execution.port.LedgerRejectedException;
import dev.orgprovisioner.execution.port.LedgerUnavailableException;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.execution.port.StepLog.LeaseLostException;
import dev.orgprovisioner.execution.port.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Runs one claimed job to the end of its attempt: checks the attempt cap, runs the job's steps
 * under its lease, and records the outcome — success, retry later or failure with its terminal
 * event — as fenced ledger writes, retried while the ledger is unavailable and the lease lasts.
 * Never throws: whatever happens is logged with the job id.
 */
public final class JobExecution {

  private static final Logger LOG = Logger.getLogger(JobExecution.class.getName());

  /** Waits between ledger retries (a virtual clock in simulations). */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    Sleeper REAL = d -> Thread.sleep(d.toMillis());
  }

  /** Collaborators of an execution. */
  public record Parts(
      JobQueue queue,
      JobRunner runner,
      EventFactory events,
      OutboxRelay relay,
      AuditTrail audit,
      Metrics metrics,
      JobLogContext logContext,
      Clock clock,
      Sleeper sleeper,
      RandomGenerator random,
      Tracing tracing) {

    /** Collaborators of an execution that is not traced. */
    public Parts(
        JobQueue queue,
        JobRunner runner,
        EventFactory events,
        OutboxRelay relay,
        AuditTrail audit,
        Metrics metrics,
        JobLogContext logContext,
        Clock clock,
        Sleeper sleeper,
        RandomGenerator random) {
      this(
          queue,
          runner,
          events,
          relay,
          audit,
          metrics,
          logContext,
          clock,
          sleeper,
          random,
          Tracing.NONE);
    }
  }

  private final Parts parts;
  private final ExecutionSettings settings;
  private final Backoff jobBackoff;
  private final Backoff ledgerBackoff;

  public JobExecution(Parts parts, ExecutionSettings settings) {
    this.parts = parts;
    this.settings = settings;
    this.jobBackoff = new Backoff(settings.backoffBase(), settings.backoffMax());
    this.ledgerBackoff = new Backoff(Duration.ofMillis(200), settings.heartbeatInterval());
  }

  /** The lease a freshly claimed job runs under. */
  public JobLease leaseOf(Job claimed) {
    return new JobLease(
        claimed.lease(),
        claimed.type(),
        claimed.orgSlug(),
        claimed.leaseExpiresAt(),
        settings.leaseMargin(),
        parts.clock().instant().plus(settings.maxRunTime()));
  }

  /** Runs one attempt of a job this instance just claimed. */
  public void run(Job job, JobLease lease) {
    try (JobLogContext.Scope scope = parts.logContext().enter(job);
        Tracing.Span span = parts.tracing().job(job)) {
      Instant started = parts.clock().instant();
      try {
        if (job.attempts() > settings.maxAttempts()) {
          exhausted(job, lease, started);
          span.failed("ATTEMPTS_EXHAUSTED");
          return;
        }
        attempt(job, lease, started, span);
      } catch (RuntimeException e) {
        span.failed("UNEXPECTED");
        // The failure path itself failed unexpectedly: the lease lapses and a sweep resumes.
        LOG.log(Level.SEVERE, "Job " + job.id() + ": unexpected failure while ending it", e);
      }
    }
  }

  private void attempt(Job job, JobLease lease, Instant started, Tracing.Span span) {
    LOG.info(
        "Running job "
            + job.id()
            + " ("
            + job.type().ceType()
            + (job.orgSlug() == null ? "" : " of " + job.orgSlug())
            + ", attempt "
            + job.attempts()
            + ", epoch "
            + job.epoch()
            + ")");
    parts.metrics().job(job.type(), JobState.RUNNING.name());
    try {
      audit(job, JobAudit.Kind.TRANSITION, JobState.QUEUED, JobState.RUNNING, started, null);
      LeasedStepLog steps =
          new LeasedStepLog(job, lease, parts.queue(), parts.audit(), parts.clock());
      // Commands the job queues (drift repairs, roll-out syncs, deletion timers) join its trace.
      JobResult result =
          JobTrace.under(
              span.context(), () -> JobFence.under(lease, () -> parts.runner().run(job, steps)));
      lease.check(parts.clock().instant());
      succeed(job, lease, result, started);
    } catch (JobFailedException e) {
      span.failed(e.error().code());
      fail(job, lease, e.error(), e.details(), started);
    } catch (JobPostponedException e) {
      postpone(job, lease, e, started);
    } catch (LeaseLostException e) {
      span.failed("LEASE_LOST");
      LOG.warning("Job " + job.id() + " stopped: " + e.getMessage());
    } catch (LedgerUnavailableException e) {
      span.failed("LEDGER_UNAVAILABLE");
      fail(
          job,
          lease,
          ErrorInfo.transientError("LEDGER_UNAVAILABLE", e.getMessage()),
          null,
          started);
    } catch (LedgerRejectedException e) {
      span.failed("LEDGER_REJECTED");
      fail(job, lease, ErrorInfo.permanent("LEDGER_REJECTED", e.getMessage()), null, started);
    } catch (RuntimeException e) {
      span.failed("UNEXPECTED");
      fail(job, lease, ErrorInfo.transientError("UNEXPECTED", e.toString()), null, started);
    }
  }

  private void succeed(Job job, JobLease lease, JobResult result, Instant started) {
    OutboxEvent event = terminalEvent(job, result.eventType(), result.data());
    Instant end = parts.clock().instant();
    audit(job, JobAudit.Kind.TRANSITION, JobState.RUNNING, JobState.SUCCEEDED, started, null);
    audit(job, JobAudit.Kind.RUN, JobState.RUNNING, JobState.SUCCEEDED, started, null);
    if (persist(
        job,
        lease,
        "finish",
        () ->
            parts
                .queue()
                .finish(lease.lease(), JobState.SUCCEEDED, null, event, parts.clock().instant()))) {
      parts.relay().publish(event);
      ended(job, JobState.SUCCEEDED, started, end);
      LOG.info("Job " + job.id() + " succeeded: " + result.eventType());
    }
  }

  private void fail(Job job, JobLease lease, ErrorInfo error, Object details, Instant started) {
    Instant now = parts.clock().instant();
    if (error.transientFailure() && job.attempts() < settings.maxAttempts()) {
      Instant next = now.plus(jobBackoff.delay(job.attempts(), parts.random()));
      LOG.info(
          "Job "
              + job.id()
              + " failed transiently (attempt "
              + job.attempts()
              + "), retry at "
              + next
              + ": "
              + error.message());
      auditQuietly(
          job, JobAudit.Kind.TRANSITION, JobState.RUNNING, JobState.QUEUED, started, error);
      if (persist(
          job,
          lease,
          "schedule a retry",
          () -> parts.queue().retryLater(lease.lease(), next, error, parts.clock().instant()))) {
        parts.metrics().jobRetry(job.type());
        ended(job, JobState.QUEUED, started, now);
      }
      return;
    }
    ErrorInfo finalError =
        error.transientFailure()
            ? new ErrorInfo(
                true,
                error.code(),
                error.message() + " (gave up after " + job.attempts() + " attempts)")
            : error;
    failForGood(job, lease, finalError, details, started);
  }

  private void postpone(Job job, JobLease lease, JobPostponedException e, Instant started) {
    LOG.fine("Job " + job.id() + " waits until " + e.until() + ": " + e.getMessage());
    if (persist(
        job,
        lease,
        "postpone",
        () -> parts.queue().postpone(lease.lease(), e.until(), parts.clock().instant()))) {
      ended(job, JobState.QUEUED, started, parts.clock().instant());
    }
  }

  private void exhausted(Job job, JobLease lease, Instant started) {
    ErrorInfo error =
        ErrorInfo.permanent(
            "ATTEMPTS_EXHAUSTED",
            "the job was claimed "
                + job.attempts()
                + " times without finishing (limit "
                + settings.maxAttempts()
                + "); last error: "
                + (job.lastError() == null ? "none recorded" : job.lastError().message()));
    failForGood(job, lease, error, null, started);
  }

  private void failForGood(
      Job job, JobLease lease, ErrorInfo error, Object details, Instant started) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("org_slug", job.orgSlug());
    data.put("job_id", job.id());
    data.put("error_kind", error.kind());
    data.put("error_code", error.code());
    data.put("error", error.message());
    data.put("attempts", job.attempts());
    if (details != null) {
      data.put("details", details);
    }
    OutboxEvent event = terminalEvent(job, parts.runner().failureEventType(job.type()), data);
    Instant now = parts.clock().instant();
    auditQuietly(job, JobAudit.Kind.TRANSITION, JobState.RUNNING, JobState.FAILED, started, error);
    auditQuietly(job, JobAudit.Kind.RUN, JobState.RUNNING, JobState.FAILED, started, error);
    if (persist(
        job,
        lease,
        "finish as failed",
        () ->
            parts
                .queue()
                .finish(lease.lease(), JobState.FAILED, error, event, parts.clock().instant()))) {
      // One line per failed job: the log-based metric behind the "jobs failed" alert counts it.
      LOG.warning(
          "Job failed for good: job="
              + job.id()
              + " type="
              + job.type().ceType()
              + " org="
              + job.orgSlug()
              + " code="
              + error.code()
              + " attempts="
              + job.attempts());
      parts.relay().publish(event);
      ended(job, JobState.FAILED, started, now);
    }
  }

  /**
   * Runs a fenced ledger write until it is done: retried with backoff while the ledger is
   * unavailable and the lease may still be valid. False when the lease was lost or could not be
   * written before it ran out (the job is then resumed by whoever claims it next).
   */
  private boolean persist(Job job, JobLease lease, String what, BooleanSupplier write) {
    for (int attempt = 1; ; attempt++) {
      try {
        if (write.getAsBoolean()) {
          return true;
        }
        lease.markLost();
        LOG.warning("Job " + job.id() + ": could not " + what + ", its lease was lost");
        return false;
      } catch (LedgerUnavailableException e) {
        Duration wait = ledgerBackoff.delay(attempt, parts.random());
        if (!parts.clock().instant().plus(wait).isBefore(lease.expiresAt())) {
          LOG.warning(
              "Job " + job.id() + ": could not " + what + " before its lease ran out: " + e);
          return false;
        }
        LOG.log(
            Level.FINE,
            "Job {0}: ledger unavailable, retrying to {1}",
            new Object[] {job.id(), what});
        try {
          parts.sleeper().sleep(wait);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
      } catch (LedgerRejectedException e) {
        LOG.log(Level.SEVERE, "Job " + job.id() + ": the ledger refused to " + what, e);
        return false;
      }
    }
  }

  private void ended(Job job, JobState state, Instant started, Instant end) {
    parts.metrics().job(job.type(), state.name());
    parts.metrics().jobDuration(job.type(), state.name(), Duration.between(started, end));
  }

  private void audit(
      Job job, JobAudit.Kind kind, JobState from, JobState to, Instant since, ErrorInfo error) {
    parts
        .audit()
        .record(new JobAudit(kind, job, from, to, null, 0, since, parts.clock().instant(), error));
  }

  /** Audit on the failure path: a failure to record it must not stop the job from ending. */
  private void auditQuietly(
      Job job, JobAudit.Kind kind, JobState from, JobState to, Instant since, ErrorInfo error) {
    try {
      audit(job, kind, from, to, since, error);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Job " + job.id() + ": audit row not recorded", e);
    }
  }

  private OutboxEvent terminalEvent(Job job, String type, Object data) {
    return parts
        .events()
        .event(
            type,
            job.orgSlug(),
            job.commandId(),
            job.idempotencyKey(),
            data,
            parts.clock().instant());
  }
}
