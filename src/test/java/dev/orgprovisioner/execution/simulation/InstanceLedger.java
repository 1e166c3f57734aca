package dev.orgprovisioner.execution.simulation;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.Lease;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.execution.port.LedgerRejectedException;
import dev.orgprovisioner.execution.port.LedgerUnavailableException;
import dev.orgprovisioner.testing.ForwardingLedger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One instance's connection to the shared ledger: every call throws {@link InstanceDied} once the
 * instance was killed, and while faults are on a seeded share of calls fail before they are
 * applied, are applied and then time out (ambiguous), or are refused for good.
 */
final class InstanceLedger extends ForwardingLedger {

  private final SimInstance instance;
  private final FaultPlan faults;
  private final SimulationStats stats;

  InstanceLedger(Ledger shared, SimInstance instance, FaultPlan faults, SimulationStats stats) {
    super(shared);
    this.instance = instance;
    this.faults = faults;
    this.stats = stats;
  }

  /** A fenced write the ledger refused: the worker learns its lease is lost. */
  private boolean held(boolean written) {
    if (!written) {
      stats.leaseLosses++;
    }
    return written;
  }

  private <T> Optional<T> held(Optional<T> written) {
    held(written.isPresent());
    return written;
  }

  private <T> T call(String op, Supplier<T> work) {
    instance.checkAlive();
    FaultPlan.LedgerFault fault = faults.ledger();
    switch (fault) {
      case BEFORE -> throw new LedgerUnavailableException("injected: " + op + " not applied", null);
      case REJECTED -> throw new LedgerRejectedException("injected: " + op + " refused", null);
      default -> {}
    }
    T result = work.get();
    instance.checkAlive();
    if (fault == FaultPlan.LedgerFault.AFTER) {
      throw new LedgerUnavailableException("injected: " + op + " applied, then timed out", null);
    }
    return result;
  }

  private void run(String op, Runnable work) {
    call(
        op,
        () -> {
          work.run();
          return null;
        });
  }

  @Override
  public List<ClaimResult> claimAll(List<CommandEnvelope> envelopes, Instant now) {
    return call("claimAll", () -> super.claimAll(envelopes, now));
  }

  @Override
  public Optional<Job> job(String jobId) {
    return call("job", () -> super.job(jobId));
  }

  @Override
  public JobPage jobs(JobQuery query) {
    return call("jobs", () -> super.jobs(query));
  }

  @Override
  public long countJobs(JobState state) {
    return call("countJobs", () -> super.countJobs(state));
  }

  @Override
  public List<Job> claimable(Instant now, int limit) {
    return call("claimable", () -> super.claimable(now, limit));
  }

  @Override
  public Optional<Job> claim(String jobId, String owner, Instant now) {
    return call("claim", () -> super.claim(jobId, owner, now));
  }

  @Override
  public Optional<Job> claimNext(String lockKey, String owner, Instant now) {
    return call("claimNext", () -> super.claimNext(lockKey, owner, now));
  }

  @Override
  public Optional<Instant> heartbeat(Lease lease, Instant now) {
    return call("heartbeat", () -> held(super.heartbeat(lease, now)));
  }

  @Override
  public boolean recordStep(Lease lease, String step, Instant now) {
    return call("recordStep", () -> held(super.recordStep(lease, step, now)));
  }

  @Override
  public Optional<Map<String, String>> remember(
      Lease lease, Map<String, String> facts, Instant now) {
    return call("remember", () -> held(super.remember(lease, facts, now)));
  }

  @Override
  public boolean finish(
      Lease lease, JobState terminal, ErrorInfo error, OutboxEvent event, Instant now) {
    return call("finish", () -> held(super.finish(lease, terminal, error, event, now)));
  }

  @Override
  public boolean retryLater(Lease lease, Instant nextAttemptAt, ErrorInfo error, Instant now) {
    return call("retryLater", () -> held(super.retryLater(lease, nextAttemptAt, error, now)));
  }

  @Override
  public boolean release(Lease lease, Instant now) {
    return call("release", () -> held(super.release(lease, now)));
  }

  @Override
  public RetryResult retryFailed(String jobId, Instant now) {
    return call("retryFailed", () -> super.retryFailed(jobId, now));
  }

  @Override
  public void storeEvents(List<OutboxEvent> events) {
    run("storeEvents", () -> super.storeEvents(events));
  }

  @Override
  public List<OutboxEvent> unpublished(int limit) {
    return call("unpublished", () -> super.unpublished(limit));
  }

  @Override
  public void markPublished(String eventId) {
    run("markPublished", () -> super.markPublished(eventId));
  }

  @Override
  public Optional<OutboxEvent> event(String eventId) {
    return call("event", () -> super.event(eventId));
  }

  @Override
  public void saveReport(String name, String json, Instant at) {
    run("saveReport", () -> super.saveReport(name, json, at));
  }

  @Override
  public Optional<String> report(String name) {
    return call("report", () -> super.report(name));
  }
}
