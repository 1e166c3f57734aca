package dev.orgprovisioner.ledger.memory;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.Lease;
import dev.orgprovisioner.execution.NextInLine;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.ledger.JobOrder;
import dev.orgprovisioner.ledger.LedgerSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The ledger in memory, for tests and simulations: every method is one critical section, so each
 * behaves as one serializable transaction — the semantics the Firestore adapter gets from its
 * transactions. {@code LedgerContractTest} holds both to the same behaviour.
 */
public final class InMemoryLedger implements Ledger {

  private record Key(
      String jobId, String fingerprint, boolean finished, String eventId, Instant expiresAt) {}

  private record Lock(String jobId, long epoch, String owner, Instant expiresAt) {}

  private final LedgerSettings settings;
  private final Supplier<String> jobIds;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final Map<String, Key> keys = new HashMap<>();
  private final Map<String, Lock> locks = new HashMap<>();
  private final Map<String, OutboxEvent> outbox = new LinkedHashMap<>();
  private final Map<String, String> reports = new HashMap<>();

  public InMemoryLedger(LedgerSettings settings) {
    this(settings, () -> UUID.randomUUID().toString());
  }

  /**
   * @param jobIds the ids of new jobs, in order (a seeded simulation needs them reproducible: ties
   *     in the claim order are broken by id)
   */
  public InMemoryLedger(LedgerSettings settings, Supplier<String> jobIds) {
    this.settings = settings;
    this.jobIds = jobIds;
  }

  // ------------------------------------------------------------------ idempotency keys

  @Override
  public synchronized List<ClaimResult> claimAll(List<CommandEnvelope> envelopes, Instant now) {
    List<ClaimResult> results = new ArrayList<>();
    for (CommandEnvelope e : envelopes) {
      Key key = keys.get(e.scope());
      if (key != null && key.expiresAt().isAfter(now)) {
        if (!key.fingerprint().equals(e.fingerprint())) {
          results.add(new ClaimResult.Conflict(key.jobId()));
        } else if (key.finished()) {
          results.add(new ClaimResult.Finished(key.jobId(), outbox.get(key.eventId())));
        } else {
          results.add(new ClaimResult.InFlight(key.jobId()));
        }
        continue;
      }
      Job job = Job.accepted(jobIds.get(), e, e.scope(), now);
      jobs.put(job.id(), job);
      keys.put(
          e.scope(), new Key(job.id(), e.fingerprint(), false, null, now.plus(settings.keyTtl())));
      results.add(new ClaimResult.Claimed(job));
    }
    return results;
  }

  // ------------------------------------------------------------------ reading jobs

  @Override
  public synchronized Optional<Job> job(String jobId) {
    return Optional.ofNullable(jobs.get(jobId));
  }

  @Override
  public synchronized JobPage jobs(JobQuery query) {
    List<Job> matching =
        jobs.values().stream()
            .filter(j -> query.state() == null || j.state() == query.state())
            .filter(j -> query.orgSlug() == null || query.orgSlug().equals(j.orgSlug()))
            .sorted(JobOrder.NEWEST_FIRST)
            .filter(j -> query.cursor() == null || JobOrder.isAfterCursor(j, query.cursor()))
            .limit(query.limit() + 1L)
            .toList();
    if (matching.size() <= query.limit()) {
      return new JobPage(matching, null);
    }
    List<Job> page = matching.subList(0, query.limit());
    return new JobPage(page, JobOrder.cursorOf(page.get(page.size() - 1)));
  }

  @Override
  public synchronized long countJobs(JobState state) {
    return jobs.values().stream().filter(j -> j.state() == state).count();
  }

  @Override
  public synchronized List<Job> claimable(Instant now, int limit) {
    return jobs.values().stream()
        .filter(j -> j.isClaimable(now))
        .sorted(JobOrder.BEST_FIRST)
        .limit(limit)
        .toList();
  }

  // ------------------------------------------------------------------ claims

  @Override
  public synchronized Optional<Job> claim(String jobId, String owner, Instant now) {
    Job asked = jobs.get(jobId);
    if (asked == null || !asked.isClaimable(now)) {
      return Optional.empty();
    }
    return claimNext(asked.lockKey(), owner, now);
  }

  @Override
  public synchronized Optional<Job> claimNext(String lockKey, String owner, Instant now) {
    List<Job> open =
        jobs.values().stream()
            .filter(j -> j.lockKey().equals(lockKey))
            .filter(j -> j.state() == JobState.QUEUED || j.state() == JobState.RUNNING)
            .toList();
    Optional<Job> next = NextInLine.of(open, now);
    if (next.isEmpty() || !lockFree(next.get(), now)) {
      return Optional.empty();
    }
    Job job = next.get();
    Instant until = now.plus(settings.leaseDuration());
    Job leased =
        job.inState(
            JobState.RUNNING,
            job.attempts() + 1,
            job.epoch() + 1,
            job.nextAttemptAt(),
            owner,
            until,
            now);
    jobs.put(job.id(), leased);
    locks.put(job.lockKey(), new Lock(job.id(), leased.epoch(), owner, until));
    return Optional.of(leased);
  }

  private boolean lockFree(Job job, Instant now) {
    Lock lock = locks.get(job.lockKey());
    return lock == null || !lock.expiresAt().isAfter(now) || lock.jobId().equals(job.id());
  }

  // ------------------------------------------------------------------ fenced writes

  /** The job if {@code lease} still holds it at {@code now}, with its lock; else null. */
  private Job held(Lease lease, Instant now) {
    Job job = jobs.get(lease.jobId());
    if (job == null
        || job.state() != JobState.RUNNING
        || !lease.owner().equals(job.leaseOwner())
        || job.epoch() != lease.epoch()
        || job.leaseExpiresAt() == null
        || !job.leaseExpiresAt().isAfter(now)) {
      return null;
    }
    Lock lock = locks.get(job.lockKey());
    boolean holdsLock =
        lock != null && lock.jobId().equals(job.id()) && lock.epoch() == lease.epoch();
    return holdsLock ? job : null;
  }

  @Override
  public synchronized Optional<Instant> heartbeat(Lease lease, Instant now) {
    Job job = held(lease, now);
    if (job == null) {
      return Optional.empty();
    }
    Instant until = now.plus(settings.leaseDuration());
    jobs.put(
        job.id(),
        job.inState(
            job.state(),
            job.attempts(),
            job.epoch(),
            job.nextAttemptAt(),
            job.leaseOwner(),
            until,
            now));
    locks.put(job.lockKey(), new Lock(job.id(), job.epoch(), lease.owner(), until));
    return Optional.of(until);
  }

  @Override
  public synchronized boolean recordStep(Lease lease, String step, Instant now) {
    return update(
        lease,
        now,
        j -> {
          List<String> steps = new ArrayList<>(j.completedSteps());
          if (!steps.contains(step)) {
            steps.add(step);
          }
          return j.withProgress(steps, j.facts(), j.lastError(), now);
        });
  }

  @Override
  public synchronized Optional<Map<String, String>> remember(
      Lease lease, Map<String, String> facts, Instant now) {
    boolean held =
        update(
            lease,
            now,
            j -> {
              Map<String, String> merged = new HashMap<>(facts);
              merged.putAll(j.facts());
              return j.withProgress(j.completedSteps(), merged, j.lastError(), now);
            });
    return held ? Optional.of(jobs.get(lease.jobId()).facts()) : Optional.empty();
  }

  @Override
  public synchronized boolean finish(
      Lease lease, JobState terminal, ErrorInfo error, OutboxEvent event, Instant now) {
    if (!terminal.isTerminal()) {
      throw new IllegalArgumentException(terminal + " is not terminal");
    }
    Job job = held(lease, now);
    if (job == null) {
      return false;
    }
    Job ended =
        job.inState(terminal, job.attempts(), job.epoch(), job.nextAttemptAt(), null, null, now);
    jobs.put(job.id(), ended.withProgress(ended.completedSteps(), ended.facts(), error, now));
    Key key = keys.get(job.keyId());
    if (key != null && key.jobId().equals(job.id()) && key.expiresAt().isAfter(now)) {
      keys.put(
          job.keyId(), new Key(key.jobId(), key.fingerprint(), true, event.id(), key.expiresAt()));
    }
    outbox.put(event.id(), event);
    locks.remove(job.lockKey());
    return true;
  }

  @Override
  public synchronized boolean retryLater(
      Lease lease, Instant nextAttemptAt, ErrorInfo error, Instant now) {
    return requeue(lease, nextAttemptAt, error, 0, now);
  }

  @Override
  public synchronized boolean postpone(Lease lease, Instant dueAt, Instant now) {
    Job job = held(lease, now);
    return job != null && requeue(lease, dueAt, job.lastError(), -1, now);
  }

  private boolean requeue(
      Lease lease, Instant nextAttemptAt, ErrorInfo error, int attemptDelta, Instant now) {
    Job job = held(lease, now);
    if (job == null) {
      return false;
    }
    Job queued =
        job.inState(
            JobState.QUEUED,
            Math.max(0, job.attempts() + attemptDelta),
            job.epoch(),
            nextAttemptAt,
            null,
            null,
            now);
    jobs.put(job.id(), queued.withProgress(queued.completedSteps(), queued.facts(), error, now));
    locks.remove(job.lockKey());
    return true;
  }

  private boolean update(Lease lease, Instant now, UnaryOperator<Job> change) {
    Job job = held(lease, now);
    if (job == null) {
      return false;
    }
    jobs.put(job.id(), change.apply(job));
    return true;
  }

  @Override
  public synchronized RetryResult retryFailed(String jobId, Instant now) {
    Job job = jobs.get(jobId);
    if (job == null) {
      return new RetryResult(RetryOutcome.NOT_FOUND, null);
    }
    if (job.state() != JobState.FAILED) {
      return new RetryResult(RetryOutcome.NOT_FAILED, job);
    }
    Key key = keys.get(job.keyId());
    boolean keyAlive = key != null && key.expiresAt().isAfter(now);
    if (keyAlive && !key.jobId().equals(jobId)) {
      return new RetryResult(RetryOutcome.KEY_TAKEN, job);
    }
    Job retried = job.inState(JobState.QUEUED, 0, job.epoch(), now, null, null, now);
    jobs.put(jobId, retried);
    keys.put(
        job.keyId(), new Key(jobId, job.fingerprint(), false, null, now.plus(settings.keyTtl())));
    return new RetryResult(RetryOutcome.RETRIED, retried);
  }

  // ------------------------------------------------------------------ outbox and reports

  @Override
  public synchronized void storeEvents(List<OutboxEvent> events) {
    events.forEach(e -> outbox.put(e.id(), e));
  }

  @Override
  public synchronized List<OutboxEvent> unpublished(int limit) {
    return outbox.values().stream()
        .filter(e -> !e.published())
        .sorted(Comparator.comparing(OutboxEvent::createdAt))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized List<OutboxEvent> recentOf(String orderingKey, int limit) {
    return outbox.values().stream()
        .filter(e -> orderingKey.equals(e.orderingKey()))
        .sorted(Comparator.comparing(OutboxEvent::createdAt).reversed())
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized void markPublished(String eventId) {
    outbox.computeIfPresent(eventId, (id, e) -> e.asPublished());
  }

  @Override
  public synchronized Optional<OutboxEvent> event(String eventId) {
    return Optional.ofNullable(outbox.get(eventId));
  }

  @Override
  public synchronized void saveReport(String name, String json, Instant at) {
    reports.put(name, json);
  }

  @Override
  public synchronized Optional<String> report(String name) {
    return Optional.ofNullable(reports.get(name));
  }
}
