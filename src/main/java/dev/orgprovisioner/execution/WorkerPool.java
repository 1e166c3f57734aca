package dev.orgprovisioner.execution;

import dev.orgprovisioner.execution.port.AuditTrail;
import dev.orgprovisioner.execution.port.JobLogContext;
import dev.orgprovisioner.execution.port.JobRunner;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.execution.port.LedgerUnavailableException;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.execution.port.StepLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the jobs this instance holds: a bounded pool fed directly by the intake (jobs arrive already
 * leased) and by a periodic sweep for due retries, jobs that waited for their org, and expired
 * leases of crashed workers. Priority order (1 first), one running job per org (the ledger's
 * locks), classified retries with exponential backoff and jitter.
 */
public final class WorkerPool implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(WorkerPool.class.getName());

  private record Queued(Job job, long seq) {}

  private final Ledger ledger;
  private final JobRunner runner;
  private final EventFactory events;
  private final OutboxRelay relay;
  private final AuditTrail audit;
  private final ExecutionSettings settings;
  private final String owner;
  private final Clock clock;
  private final PriorityBlockingQueue<Queued> queue =
      new PriorityBlockingQueue<>(
          64,
          Comparator.comparingInt((Queued q) -> q.job().priority()).thenComparingLong(Queued::seq));
  private final AtomicLong seq = new AtomicLong();
  private final Map<String, Job> running = new ConcurrentHashMap<>();
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;
  private final Metrics metrics;
  private final JobLogContext logContext;
  private final AtomicInteger liveLoops = new AtomicInteger();
  private volatile boolean stopping;

  public WorkerPool(
      Ledger ledger,
      JobRunner runner,
      EventFactory events,
      OutboxRelay relay,
      AuditTrail audit,
      ExecutionSettings settings,
      String owner,
      Clock clock) {
    this(
        ledger,
        runner,
        events,
        relay,
        audit,
        settings,
        owner,
        clock,
        Metrics.NONE,
        JobLogContext.NONE);
  }

  public WorkerPool(
      Ledger ledger,
      JobRunner runner,
      EventFactory events,
      OutboxRelay relay,
      AuditTrail audit,
      ExecutionSettings settings,
      String owner,
      Clock clock,
      Metrics metrics,
      JobLogContext logContext) {
    this.metrics = metrics;
    this.logContext = logContext;
    this.ledger = ledger;
    this.runner = runner;
    this.events = events;
    this.relay = relay;
    this.audit = audit;
    this.settings = settings;
    this.owner = owner;
    this.clock = clock;
    this.workers = Executors.newFixedThreadPool(settings.workers(), DaemonThreads.named("worker"));
    this.scheduler = Executors.newScheduledThreadPool(1, DaemonThreads.named("sweep"));
  }

  /** Starts the workers and the periodic sweep, heartbeat and outbox relay. */
  public void start() {
    for (int i = 0; i < settings.workers(); i++) {
      workers.execute(this::workLoop);
    }
    long sweepMs = settings.sweepInterval().toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> guarded("sweep", this::sweep), sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    long beatMs = settings.heartbeatInterval().toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> guarded("heartbeat", this::heartbeat), beatMs, beatMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Hands over a job from the intake; runs it if it is leased to this instance. While shutting
   * down, the lease is handed back at once so another instance takes the job.
   */
  public void dispatch(Job job) {
    if (!job.isLeasedBy(owner, clock.instant())) {
      return;
    }
    if (stopping) {
      release(job);
      return;
    }
    queue.add(new Queued(job, seq.incrementAndGet()));
  }

  /**
   * True while the pool takes work: not shutting down, every worker loop alive, the sweep
   * scheduled. For the liveness probe.
   */
  public boolean isHealthy() {
    return !stopping && liveLoops.get() == settings.workers() && !scheduler.isShutdown();
  }

  /** Jobs waiting in this instance's queue plus those running; for metrics and tests. */
  public int load() {
    return queue.size() + running.size();
  }

  /** Claims due and abandoned jobs up to the free capacity, and re-sends unpublished events. */
  public void sweep() {
    int free = Math.max(0, settings.workers() * 2 - load());
    if (free > 0) {
      ledger.claimDue(owner, clock.instant(), free).forEach(this::dispatch);
    }
    relay.sweep(100);
  }

  private void heartbeat() {
    for (Job job : List.copyOf(running.values())) {
      // A job that finished while its heartbeat was in flight has no lease any more either; only
      // a job still running here has really lost it.
      if (!ledger.heartbeat(job.id(), owner, clock.instant()) && running.containsKey(job.id())) {
        LOG.warning("Lost the lease of job " + job.id() + "; another worker owns it now");
      }
    }
  }

  private void workLoop() {
    liveLoops.incrementAndGet();
    try {
      while (!stopping) {
        Queued next;
        try {
          next = queue.poll(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (next != null) {
          execute(next.job());
        }
      }
    } finally {
      liveLoops.decrementAndGet();
    }
  }

  private void execute(Job job) {
    try (JobLogContext.Scope scope = logContext.enter(job)) {
      run(job);
    }
    if (stopping) {
      return;
    }
    guarded(
        "claim next job of " + job.lockKey(),
        () -> ledger.claimNext(job.lockKey(), owner, clock.instant()).ifPresent(this::dispatch));
  }

  private void run(Job job) {
    running.put(job.id(), job);
    Instant started = clock.instant();
    LOG.info(
        "Running job "
            + job.id()
            + " ("
            + job.type().ceType()
            + (job.orgSlug() == null ? "" : " of " + job.orgSlug())
            + ", attempt "
            + job.attempts()
            + ")");
    metrics.job(job.type(), JobState.RUNNING.name());
    auditTransition(job, JobState.QUEUED, JobState.RUNNING, started, null);
    try {
      JobResult result = runner.run(job, stepLog(job, started));
      OutboxEvent event = terminalEvent(job, result.eventType(), result.data());
      Instant end = clock.instant();
      if (ledger.finish(job.id(), owner, JobState.SUCCEEDED, null, event, end)) {
        relay.publish(event);
        auditEnd(job, JobState.SUCCEEDED, started, end, null);
        ended(job, JobState.SUCCEEDED, started, end);
        LOG.info("Job " + job.id() + " succeeded: " + result.eventType());
      }
    } catch (JobFailedException e) {
      fail(job, e.error(), e.details(), started);
    } catch (StepLog.LeaseLostException e) {
      LOG.warning(e.getMessage());
    } catch (LedgerUnavailableException e) {
      // Nothing can be recorded: the lease runs out and a sweep resumes the job later.
      LOG.log(Level.WARNING, "Ledger unavailable while running job " + job.id(), e);
    } catch (RuntimeException e) {
      fail(job, ErrorInfo.transientError("UNEXPECTED", e.toString()), null, started);
    } finally {
      running.remove(job.id());
    }
  }

  private void ended(Job job, JobState state, Instant started, Instant end) {
    metrics.job(job.type(), state.name());
    metrics.jobDuration(job.type(), state.name(), Duration.between(started, end));
  }

  /** Hands a job's lease back (shutdown): QUEUED and due at once, for any instance. */
  private void release(Job job) {
    guarded(
        "release job " + job.id(),
        () -> {
          if (ledger.release(job.id(), owner, clock.instant())) {
            metrics.job(job.type(), "RELEASED");
            LOG.info("Released the lease of job " + job.id() + " at shutdown");
          }
        });
  }

  private void fail(Job job, ErrorInfo error, Object details, Instant started) {
    Instant now = clock.instant();
    if (error.transientFailure() && job.attempts() < settings.maxAttempts()) {
      Instant next = now.plus(backoff(job.attempts()));
      LOG.info(
          "Job "
              + job.id()
              + " failed transiently (attempt "
              + job.attempts()
              + "), retry at "
              + next
              + ": "
              + error.message());
      if (ledger.retryLater(job.id(), owner, next, error, now)) {
        auditTransition(job, JobState.RUNNING, JobState.QUEUED, started, error);
        metrics.jobRetry(job.type());
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
    Map<String, Object> data = new java.util.LinkedHashMap<>();
    data.put("org_slug", job.orgSlug());
    data.put("job_id", job.id());
    data.put("error_kind", finalError.kind());
    data.put("error_code", finalError.code());
    data.put("error", finalError.message());
    data.put("attempts", job.attempts());
    if (details != null) {
      data.put("details", details);
    }
    OutboxEvent event = terminalEvent(job, runner.failureEventType(job.type()), data);
    if (ledger.finish(job.id(), owner, JobState.FAILED, finalError, event, now)) {
      // One line per failed job: the log-based metric behind the "jobs failed" alert counts it.
      LOG.warning(
          "Job failed for good: job="
              + job.id()
              + " type="
              + job.type().ceType()
              + " org="
              + job.orgSlug()
              + " code="
              + finalError.code()
              + " attempts="
              + job.attempts());
      relay.publish(event);
      auditEnd(job, JobState.FAILED, started, now, finalError);
      ended(job, JobState.FAILED, started, now);
      LOG.warning("Job " + job.id() + " failed: " + finalError.code() + " " + finalError.message());
    }
  }

  private void auditTransition(
      Job job, JobState from, JobState to, Instant since, ErrorInfo error) {
    guarded(
        "audit",
        () ->
            audit.record(
                new JobAudit(
                    JobAudit.Kind.TRANSITION,
                    job,
                    from,
                    to,
                    null,
                    0,
                    since,
                    clock.instant(),
                    error)));
  }

  private void auditEnd(Job job, JobState state, Instant started, Instant end, ErrorInfo error) {
    auditTransition(job, JobState.RUNNING, state, started, error);
    guarded(
        "audit",
        () ->
            audit.record(
                new JobAudit(
                    JobAudit.Kind.RUN,
                    job,
                    JobState.RUNNING,
                    state,
                    null,
                    0,
                    started,
                    end,
                    error)));
  }

  private OutboxEvent terminalEvent(Job job, String type, Object data) {
    return events.event(
        type, job.orgSlug(), job.commandId(), job.idempotencyKey(), data, clock.instant());
  }

  /** Exponential backoff with jitter: a random delay between half and all of base·2^(n-1). */
  Duration backoff(int attempt) {
    long base = settings.backoffBase().toMillis();
    long cap = settings.backoffMax().toMillis();
    long exp = Math.min(cap, base << Math.min(20, Math.max(0, attempt - 1)));
    return Duration.ofMillis(exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1));
  }

  private StepLog stepLog(Job job, Instant started) {
    return new StepLog() {
      private final List<String> done = new ArrayList<>(job.completedSteps());
      private Instant lastEnd = started;

      private final java.util.Map<String, String> facts = new java.util.HashMap<>();

      @Override
      public boolean isDone(String step) {
        return done.contains(step);
      }

      @Override
      public void checkLease() {}

      @Override
      public java.util.Optional<String> fact(String name) {
        return java.util.Optional.ofNullable(facts.get(name));
      }

      @Override
      public String remember(String name, String value) {
        return facts.computeIfAbsent(name, n -> value);
      }

      @Override
      public void completed(String step) {
        Instant end = clock.instant();
        if (!ledger.recordStep(job.id(), owner, step, end)) {
          throw new LeaseLostException(job.id());
        }
        done.add(step);
        Instant begin = lastEnd;
        lastEnd = end;
        guarded(
            "audit",
            () ->
                audit.record(
                    new JobAudit(
                        JobAudit.Kind.STEP,
                        job,
                        JobState.RUNNING,
                        JobState.RUNNING,
                        step,
                        done.size(),
                        begin,
                        end,
                        null)));
      }
    };
  }

  private static void guarded(String what, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, what + " failed", e);
    }
  }

  /**
   * Graceful shutdown: stops taking work, hands back the leases of jobs queued here but not
   * started, lets running jobs finish within the grace period, then hands back the leases of those
   * still running (before interrupting them, so nothing they do afterwards is recorded) so another
   * instance resumes them at once instead of after the lease expires.
   */
  @Override
  public void close() {
    if (stopping) {
      return;
    }
    stopping = true;
    scheduler.shutdownNow();
    List<Queued> notStarted = new ArrayList<>();
    queue.drainTo(notStarted);
    notStarted.forEach(q -> release(q.job()));
    workers.shutdown();
    try {
      if (!workers.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        List<Job> unfinished = List.copyOf(running.values());
        LOG.warning(
            unfinished.size()
                + " job(s) still running after the shutdown grace period of "
                + settings.shutdownGrace()
                + "; handing back their leases");
        unfinished.forEach(this::release);
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      List.copyOf(running.values()).forEach(this::release);
      workers.shutdownNow();
    }
    // A dispatch racing with the first drain may have queued a job after it.
    List<Queued> late = new ArrayList<>();
    queue.drainTo(late);
    late.forEach(q -> release(q.job()));
  }
}
