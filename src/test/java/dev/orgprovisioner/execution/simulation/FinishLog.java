package dev.orgprovisioner.execution.simulation;

import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.Lease;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.testing.ForwardingLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sits right on the shared ledger (below any injected fault) and remembers every finish the ledger
 * applied: which terminal event ids each job ended with, as the checker's record of truth.
 */
final class FinishLog extends ForwardingLedger {

  private final Map<String, List<String>> eventsByJob = new LinkedHashMap<>();
  private final Map<String, String> jobByEvent = new LinkedHashMap<>();
  private final Map<String, Integer> firstFinishIndex = new LinkedHashMap<>();

  FinishLog(Ledger shared) {
    super(shared);
  }

  @Override
  public boolean finish(
      Lease lease, JobState terminal, ErrorInfo error, OutboxEvent event, Instant now) {
    boolean applied = delegate.finish(lease, terminal, error, event, now);
    if (applied) {
      eventsByJob.computeIfAbsent(lease.jobId(), j -> new ArrayList<>()).add(event.id());
      jobByEvent.put(event.id(), lease.jobId());
      firstFinishIndex.putIfAbsent(lease.jobId(), firstFinishIndex.size());
    }
    return applied;
  }

  /** Terminal event ids of the finishes applied for a job (one, if all is well). */
  List<String> terminalEvents(String jobId) {
    return eventsByJob.getOrDefault(jobId, List.of());
  }

  /** The position of the job's first applied finish among all jobs' first finishes; -1 if none. */
  int firstFinishIndex(String jobId) {
    return firstFinishIndex.getOrDefault(jobId, -1);
  }

  /** The job an applied finish stored this event for, or null. */
  String jobOf(String eventId) {
    return jobByEvent.get(eventId);
  }
}
