package dev.orgprovisioner.testing;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.execution.port.LedgerUnavailableException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real ledger, except that the claim of a command whose ce-id starts with {@code fail-once-}
 * fails the first time, as an unreachable Firestore would, and every claim of a command for an org
 * in {@link #BROKEN_ORGS} fails at once (a defect in the intake path: nacked without an in-place
 * retry). Counts claims per command id.
 */
public final class FaultInjectingLedger implements Ledger {

  public static final String FAIL_ONCE_PREFIX = "fail-once-";
  public static final Map<String, AtomicInteger> CLAIMS = new ConcurrentHashMap<>();
  public static final Map<String, Instant> CLAIM_TIMES = new ConcurrentHashMap<>();
  public static final java.util.Set<String> BROKEN_ORGS = ConcurrentHashMap.newKeySet();

  private final Ledger delegate;

  public FaultInjectingLedger(Ledger delegate) {
    this.delegate = delegate;
  }

  @Override
  public ClaimResult claim(CommandEnvelope envelope, String owner, Instant now) {
    int n = CLAIMS.computeIfAbsent(envelope.id(), k -> new AtomicInteger()).incrementAndGet();
    CLAIM_TIMES.putIfAbsent(envelope.id() + "#" + n, Instant.now());
    if (envelope.id().startsWith(FAIL_ONCE_PREFIX) && n == 1) {
      throw new LedgerUnavailableException("injected: Firestore unreachable", null);
    }
    String org = envelope.command().org().map(o -> o.value()).orElse("");
    if (BROKEN_ORGS.contains(org)) {
      throw new IllegalStateException("injected: the claim of org " + org + " is broken");
    }
    return delegate.claim(envelope, owner, now);
  }

  @Override
  public RetryResult retryFailed(String jobId, Instant now) {
    return delegate.retryFailed(jobId, now);
  }

  @Override
  public Optional<Job> job(String jobId) {
    return delegate.job(jobId);
  }

  @Override
  public List<Job> jobs(JobState state, String orgSlug, int limit) {
    return delegate.jobs(state, orgSlug, limit);
  }

  @Override
  public boolean heartbeat(String jobId, String owner, Instant now) {
    return delegate.heartbeat(jobId, owner, now);
  }

  @Override
  public boolean recordStep(String jobId, String owner, String step, Instant now) {
    return delegate.recordStep(jobId, owner, step, now);
  }

  @Override
  public boolean finish(
      String jobId,
      String owner,
      JobState terminal,
      ErrorInfo error,
      OutboxEvent event,
      Instant now) {
    return delegate.finish(jobId, owner, terminal, error, event, now);
  }

  @Override
  public boolean retryLater(
      String jobId, String owner, Instant nextAttemptAt, ErrorInfo error, Instant now) {
    return delegate.retryLater(jobId, owner, nextAttemptAt, error, now);
  }

  @Override
  public List<Job> claimDue(String owner, Instant now, int limit) {
    return delegate.claimDue(owner, now, limit);
  }

  @Override
  public Optional<Job> claimNext(String lockKey, String owner, Instant now) {
    return delegate.claimNext(lockKey, owner, now);
  }

  @Override
  public List<OutboxEvent> unpublished(int limit) {
    return delegate.unpublished(limit);
  }

  @Override
  public void saveReport(String name, String json, Instant at) {
    delegate.saveReport(name, json, at);
  }

  @Override
  public Optional<String> report(String name) {
    return delegate.report(name);
  }

  @Override
  public void storeEvents(List<OutboxEvent> events) {
    delegate.storeEvents(events);
  }

  @Override
  public void markPublished(String eventId) {
    delegate.markPublished(eventId);
  }

  @Override
  public Optional<OutboxEvent> event(String eventId) {
    return delegate.event(eventId);
  }

  // --- Operations (ops-runtime) ---

  @Override
  public boolean release(String jobId, String owner, Instant now) {
    return delegate.release(jobId, owner, now);
  }

  @Override
  public long countJobs(JobState state) {
    return delegate.countJobs(state);
  }
}
