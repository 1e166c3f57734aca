package dev.orgprovisioner.execution;

import java.time.Instant;

/**
 * One fact for the audit trail: a job changed state, or one of its steps completed.
 *
 * @param step the step name, for {@link Kind#STEP}
 * @param start when the state or step began
 * @param attempt the run of the job this fact belongs to (its lease epoch: 1 for the first run);
 *     part of the fact's id, so recording the same fact again never duplicates it
 */
public record JobAudit(
    Kind kind,
    Job job,
    JobState from,
    JobState to,
    String step,
    int stepIndex,
    Instant start,
    Instant end,
    ErrorInfo error,
    int attempt) {

  /** A fact of the job's current run: its lease epoch, one per claim. */
  public JobAudit(
      Kind kind,
      Job job,
      JobState from,
      JobState to,
      String step,
      int stepIndex,
      Instant start,
      Instant end,
      ErrorInfo error) {
    this(kind, job, from, to, step, stepIndex, start, end, error, (int) job.epoch());
  }

  /**
   * The fact's deterministic id: job, attempt, kind, step and target state. The same fact recorded
   * twice (a retried call, a resumed job) has the same id; two different facts never do.
   */
  public String id() {
    return EventFactory.digest(
        String.join(
            "|",
            job.id(),
            Integer.toString(attempt),
            kind.name(),
            step == null ? "" : step,
            from == null ? "" : from.name(),
            to == null ? "" : to.name()));
  }

  /** What happened. */
  public enum Kind {
    /** The job changed state (started, retried, ended). */
    TRANSITION,
    /** A step of the job completed. */
    STEP,
    /** The job reached SUCCEEDED or FAILED: its run summary. */
    RUN
  }
}
