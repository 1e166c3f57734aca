package dev.orgprovisioner.testing;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.Lease;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.Ledger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A ledger that forwards every call; decorators for fault injection override what they change. */
public abstract class ForwardingLedger implements Ledger {

  protected final Ledger delegate;

  protected ForwardingLedger(Ledger delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<ClaimResult> claimAll(List<CommandEnvelope> envelopes, Instant now) {
    return delegate.claimAll(envelopes, now);
  }

  @Override
  public Optional<Job> job(String jobId) {
    return delegate.job(jobId);
  }

  @Override
  public JobPage jobs(JobQuery query) {
    return delegate.jobs(query);
  }

  @Override
  public long countJobs(JobState state) {
    return delegate.countJobs(state);
  }

  @Override
  public List<Job> claimable(Instant now, int limit) {
    return delegate.claimable(now, limit);
  }

  @Override
  public Optional<Job> claim(String jobId, String owner, Instant now) {
    return delegate.claim(jobId, owner, now);
  }

  @Override
  public Optional<Job> claimNext(String lockKey, String owner, Instant now) {
    return delegate.claimNext(lockKey, owner, now);
  }

  @Override
  public Optional<Instant> heartbeat(Lease lease, Instant now) {
    return delegate.heartbeat(lease, now);
  }

  @Override
  public boolean recordStep(Lease lease, String step, Instant now) {
    return delegate.recordStep(lease, step, now);
  }

  @Override
  public Optional<Map<String, String>> remember(
      Lease lease, Map<String, String> facts, Instant now) {
    return delegate.remember(lease, facts, now);
  }

  @Override
  public boolean finish(
      Lease lease, JobState terminal, ErrorInfo error, OutboxEvent event, Instant now) {
    return delegate.finish(lease, terminal, error, event, now);
  }

  @Override
  public boolean retryLater(Lease lease, Instant nextAttemptAt, ErrorInfo error, Instant now) {
    return delegate.retryLater(lease, nextAttemptAt, error, now);
  }

  @Override
  public boolean postpone(Lease lease, Instant dueAt, Instant now) {
    return delegate.postpone(lease, dueAt, now);
  }

  @Override
  public RetryResult retryFailed(String jobId, Instant now) {
    return delegate.retryFailed(jobId, now);
  }

  @Override
  public void storeEvents(List<OutboxEvent> events) {
    delegate.storeEvents(events);
  }

  @Override
  public List<OutboxEvent> unpublished(int limit) {
    return delegate.unpublished(limit);
  }

  @Override
  public List<OutboxEvent> recentOf(String orderingKey, int limit) {
    return delegate.recentOf(orderingKey, limit);
  }

  @Override
  public void markPublished(String eventId) {
    delegate.markPublished(eventId);
  }

  @Override
  public Optional<OutboxEvent> event(String eventId) {
    return delegate.event(eventId);
  }

  @Override
  public void saveReport(String name, String json, Instant at) {
    delegate.saveReport(name, json, at);
  }

  @Override
  public Optional<String> report(String name) {
    return delegate.report(name);
  }
}
