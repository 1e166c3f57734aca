package dev.orgprovisioner.execution;

import dev.orgprovisioner.execution.port.JobQueue;
import dev.orgprovisioner.execution.port.LedgerRejectedException;
import dev.orgprovisioner.execution.port.LedgerUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This instance's workers. A job is leased only by a worker with a free slot, right before it runs:
 * the intake and the sweep only hand over hints (job ids, bounded, best priority first); a worker
 * claims the job from the ledger when it takes the hint. While more jobs wait in the ledger than
 * the hints hold, the workers ask for a refill as they go. Heartbeats and the sweep run on threads
 * of their own. The operations the threads run ({@link #workOnce}, {@link #sweepOnce}, {@link
 * #heartbeatOnce}) are public so that a simulation can drive them in a seeded order.
 */
public final class WorkerPool implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(WorkerPool.class.getName());

  private record Hint(String jobId, int priority, long seq) {}

  private final JobQueue queue;
  private final JobExecution execution;
  private final OutboxRelay relay;
  private final ExecutionSettings settings;
  private final String owner;
  private final Clock clock;
  private final int hintCapacity;
  private final PriorityQueue<Hint> hints =
      new PriorityQueue<>(Comparator.comparingInt(Hint::priority).thenComparingLong(Hint::seq));

  /** Jobs hinted or being claimed and run from a hint here: never hinted twice at once. */
  private final Set<String> hinted = new HashSet<>();

  private long seq;
  private final Map<String, JobLease> running = new ConcurrentHashMap<>();
  private final AtomicInteger liveLoops = new AtomicInteger();

  /**
   * More claimable jobs are in the ledger than were hinted: hints were dropped or a refill was
   * full.
   */
  private volatile boolean backlog;

  private final AtomicBoolean refillPending = new AtomicBoolean();
  private ExecutorService workers;
  private ScheduledExecutorService sweeper;
  private ScheduledExecutorService heartbeater;
  private volatile boolean stopping;

  public WorkerPool(
      JobQueue queue,
      JobExecution execution,
      OutboxRelay relay,
      ExecutionSettings settings,
      String owner,
      Clock clock) {
    this.queue = queue;
    this.execution = execution;
    this.relay = relay;
    this.settings = settings;
    this.owner = owner;
    this.clock = clock;
    this.hintCapacity = Math.max(8, settings.workers() * 4);
  }

  /** Starts the worker threads, the sweep and the heartbeat, each on threads of its own. */
  public void start() {
    workers = Executors.newFixedThreadPool(settings.workers(), DaemonThreads.named("worker"));
    sweeper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sweep"));
    heartbeater = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("heartbeat"));
    for (int i = 0; i < settings.workers(); i++) {
      workers.execute(this::workLoop);
    }
    long sweepMs = settings.sweepInterval().toMillis();
    sweeper.scheduleWithFixedDelay(
        () -> guarded("sweep", this::sweepOnce), sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    long beatMs = settings.heartbeatInterval().toMillis();
    heartbeater.scheduleWithFixedDelay(
        () -> guarded("heartbeat", this::heartbeatOnce), beatMs, beatMs, TimeUnit.MILLISECONDS);
  }

  /**
   * A hint that a job may be claimable now (a new job from the intake). Dropped when the hints are
   * full or the pool is stopping: the job stays QUEUED in the ledger for any instance's sweep.
   */
  public void dispatch(Job job) {
    hint(job.id(), job.priority());
  }

  private synchronized boolean hint(String jobId, int priority) {
    if (stopping || running.containsKey(jobId) || hinted.contains(jobId)) {
      return false;
    }
    if (hints.size() >= hintCapacity) {
      backlog = true;
      return false;
    }
    hinted.add(jobId);
    hints.add(new Hint(jobId, priority, seq++));
    notifyAll();
    return true;
  }

  private synchronized Optional<Hint> nextHint(long waitMs) throws InterruptedException {
    if (hints.isEmpty() && waitMs > 0 && !stopping) {
      wait(waitMs);
    }
    return Optional.ofNullable(hints.poll());
  }

  private synchronized void done(String jobId) {
    hinted.remove(jobId);
  }

  /** Hints waiting plus jobs running here; for metrics and tests. */
  public synchronized int load() {
    return hints.size() + running.size();
  }

  /** Jobs running here now. */
  public int running() {
    return running.size();
  }

  /**
   * True while the pool can run jobs: not shutting down, every worker loop alive, the sweep and the
   * heartbeat scheduled. For the liveness probe.
   */
  public boolean isHealthy() {
    return !stopping
        && liveLoops.get() == settings.workers()
        && sweeper != null
        && !sweeper.isShutdown()
        && !heartbeater.isShutdown();
  }

  /**
   * Takes one hint (waiting up to {@code waitMs}), claims its job and runs it, then the jobs
   * waiting for the same org while any is claimable. False when there was no hint.
   */
  public boolean workOnce(long waitMs) throws InterruptedException {
    Optional<Hint> hint = nextHint(waitMs);
    if (hint.isEmpty()) {
      return false;
    }
    try {
      if (running.containsKey(hint.get().jobId())) {
        return true;
      }
      Optional<Job> claimed = claim(hint.get().jobId());
      boolean ran = false;
      while (claimed.isPresent() && !stopping) {
        Job job = claimed.get();
        runClaimed(job);
        ran = true;
        claimed = stopping ? Optional.empty() : claimNext(job.lockKey());
      }
      claimed.ifPresent(this::handBack);
      if (ran) {
        refillIfBacklog();
      }
    } finally {
      done(hint.get().jobId());
    }
    return true;
  }

  /** Claims a hinted job; a ledger that cannot be reached leaves it to a later sweep. */
  private Optional<Job> claim(String jobId) {
    try {
      return queue.claim(jobId, owner, clock.instant());
    } catch (LedgerUnavailableException | LedgerRejectedException e) {
      LOG.warning("Could not claim job " + jobId + "; a later sweep retries: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Claims the next job waiting for a lock key; on a ledger failure a later sweep finds it. */
  private Optional<Job> claimNext(String lockKey) {
    try {
      return queue.claimNext(lockKey, owner, clock.instant());
    } catch (LedgerUnavailableException | LedgerRejectedException e) {
      LOG.warning("Could not claim the next job of " + lockKey + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private void runClaimed(Job job) {
    JobLease lease = execution.leaseOf(job);
    if (running.putIfAbsent(job.id(), lease) != null) {
      // Already running here under an earlier epoch: that run stops at its next step.
      handBack(job);
      return;
    }
    try {
      execution.run(job, lease);
    } finally {
      running.remove(job.id(), lease);
    }
  }

  /** Hands back a claimed job that will not run here (shutdown, or already running here). */
  private void handBack(Job job) {
    guarded("hand back job " + job.id(), () -> queue.release(job.lease(), clock.instant()));
  }

  /** Hints claimable jobs (see {@link #refillOnce}), and re-sends unpublished events. */
  public void sweepOnce() {
    refillOnce();
    relay.sweep(100);
  }

  /**
   * Hints claimable jobs until running and hinted jobs are twice the workers (a round ahead, so a
   * worker that finishes finds its next hint): the sweep's first half, also run on demand.
   */
  public void refillOnce() {
    int limit;
    int hinted;
    synchronized (this) {
      hinted = hints.size();
      limit = 2 * settings.workers() - running.size() - hinted;
    }
    if (limit > 0 && !stopping) {
      // The jobs hinted here are still QUEUED in the ledger and come back first: ask beyond them.
      int asked = limit + hinted;
      List<Job> claimable = queue.claimable(clock.instant(), asked);
      backlog = claimable.size() >= asked;
      for (Job job : claimable) {
        hint(job.id(), job.priority());
      }
    }
  }

  /**
   * Without this a backlog larger than the hints drained by one sweep's worth per sweep interval (8
   * jobs per 5 s with 4 workers) while the workers idled: after a job ran, a refill is asked for
   * when the hints run low, one at a time, on the sweep's thread. Only a job that ran asks, so jobs
   * that cannot be claimed yet (their org busy) are left to the sweep instead of being polled.
   */
  private void refillIfBacklog() {
    ScheduledExecutorService thread = sweeper;
    boolean low;
    synchronized (this) {
      low = hints.size() < settings.workers();
    }
    if (!backlog
        || !low
        || stopping
        || thread == null
        || !refillPending.compareAndSet(false, true)) {
      return;
    }
    try {
      thread.execute(
          () -> {
            refillPending.set(false);
            guarded("refill", this::refillOnce);
          });
    } catch (RejectedExecutionException e) {
      refillPending.set(false);
    }
  }

  /** Extends the lease of every job running here; a lease found lost stops its job. */
  public void heartbeatOnce() {
    for (JobLease lease : List.copyOf(running.values())) {
      try {
        Optional<Instant> until = queue.heartbeat(lease.lease(), clock.instant());
        if (until.isPresent()) {
          lease.extendedTo(until.get());
        } else if (running.get(lease.jobId()) == lease) {
          lease.markLost();
          LOG.warning("Lost the lease of job " + lease.lease() + "; it stops at its next step");
        }
      } catch (RuntimeException e) {
        // The lease keeps its last confirmed expiry; the job stops if it gets too close.
        LOG.log(Level.WARNING, "Heartbeat of job " + lease.jobId() + " failed", e);
      }
    }
  }

  private void workLoop() {
    liveLoops.incrementAndGet();
    try {
      while (!stopping) {
        try {
          workOnce(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (VirtualMachineError e) {
          throw e;
        } catch (Throwable e) {
          // A worker never dies of one job: log it and take the next.
          LOG.log(Level.SEVERE, "Worker loop survived an unexpected failure", e);
        }
      }
    } finally {
      liveLoops.decrementAndGet();
    }
  }

  private static void guarded(String what, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, what + " failed", e);
    }
  }

  /**
   * Graceful shutdown: stops taking work, drops the hints (their jobs are QUEUED for any instance),
   * lets running jobs finish within the grace period, then hands back the leases of those still
   * running — marking them lost first, so nothing they do afterwards is recorded — so another
   * instance resumes them at once instead of after the lease expires.
   */
  @Override
  public void close() {
    if (stopping) {
      return;
    }
    synchronized (this) {
      stopping = true;
      hints.clear();
      hinted.clear();
      notifyAll();
    }
    if (workers == null) {
      return;
    }
    sweeper.shutdownNow();
    workers.shutdown();
    boolean finished;
    try {
      finished =
          workers.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished = false;
    }
    heartbeater.shutdownNow();
    if (!finished) {
      List<JobLease> unfinished = new ArrayList<>(running.values());
      LOG.warning(
          unfinished.size()
              + " job(s) still running after the shutdown grace period of "
              + settings.shutdownGrace()
              + "; handing back their leases");
      for (JobLease lease : unfinished) {
        lease.markLost();
        guarded(
            "release job " + lease.jobId(),
            () -> {
              if (queue.release(lease.lease(), clock.instant())) {
                LOG.info("Released the lease of job " + lease.jobId() + " at shutdown");
              }
            });
      }
      workers.shutdownNow();
    }
  }
}
