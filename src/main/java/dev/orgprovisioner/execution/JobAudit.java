package dev.orgprovisioner.execution;

import java.time.Instant;

/**
 * One fact for the audit trail: a job changed state, or one of its steps completed.
 *
 * @param step the step name, for {@link Kind#STEP}
 * @param start when the state or step began
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
    ErrorInfo error) {

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
