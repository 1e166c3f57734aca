package dev.orgprovisioner.execution;

import dev.orgprovisioner.execution.port.AuditTrail;
import dev.orgprovisioner.execution.port.JobQueue;
import dev.orgprovisioner.execution.port.StepLog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The step log of one attempt of a job: every record is a fenced ledger write, and every call first
 * checks the lease, so an attempt that lost its lease stops at its next step.
 */
final class LeasedStepLog implements StepLog {

  private final Job job;
  private final JobLease lease;
  private final JobQueue queue;
  private final AuditTrail audit;
  private final Clock clock;
  private final List<String> done;
  private final Map<String, String> facts;
  private Instant lastEnd;

  LeasedStepLog(Job job, JobLease lease, JobQueue queue, AuditTrail audit, Clock clock) {
    this.job = job;
    this.lease = lease;
    this.queue = queue;
    this.audit = audit;
    this.clock = clock;
    this.done = new ArrayList<>(job.completedSteps());
    this.facts = new HashMap<>(job.facts());
    this.lastEnd = clock.instant();
  }

  @Override
  public boolean isDone(String step) {
    return done.contains(step);
  }

  @Override
  public void checkLease() {
    lease.check(clock.instant());
  }

  @Override
  public void completed(String step) {
    Instant end = clock.instant();
    lease.check(end);
    // The audit row is durable before the step counts as done (a retry rewrites the same row).
    audit.record(
        new JobAudit(
            JobAudit.Kind.STEP,
            job,
            JobState.RUNNING,
            JobState.RUNNING,
            step,
            done.size() + 1,
            lastEnd,
            end,
            null));
    if (!queue.recordStep(lease.lease(), step, end)) {
      lease.markLost();
      throw new LeaseLostException(job.id());
    }
    done.add(step);
    lastEnd = end;
  }

  @Override
  public Optional<String> fact(String name) {
    return Optional.ofNullable(facts.get(name));
  }

  @Override
  public String remember(String name, String value) {
    String known = facts.get(name);
    if (known != null) {
      return known;
    }
    Instant now = clock.instant();
    lease.check(now);
    Map<String, String> stored =
        queue
            .remember(lease.lease(), Map.of(name, value), now)
            .orElseThrow(
                () -> {
                  lease.markLost();
                  return new LeaseLostException(job.id());
                });
    facts.putAll(stored);
    return facts.get(name);
  }
}
