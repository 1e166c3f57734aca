package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.execution.port.StepLog;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times a job writes into rows, fixed at the attempt that first needs them. */
final class JobTimes {

  // The job's audit entry is keyed by job and partitioned by its time: every attempt must write the
  // same time, or an attempt after midnight would add a second entry instead of replacing it.
  static final String FACT_AUDITED_AT = "audited_at";
  static final String FACT_CHANGED_AT = "changed_at";

  private JobTimes() {}

  /**
   * The time a key rotation or plan change writes into its rows, fixed at the first attempt
   * (microseconds, as stored).
   */
  static Instant changedAt(StepLog steps, Clock clock) {
    return Instant.parse(
        steps.remember(FACT_CHANGED_AT, clock.instant().truncatedTo(ChronoUnit.MICROS).toString()));
  }

  /** The time of the job's audit entry, fixed at the first attempt that writes it. */
  static Instant auditedAt(StepLog steps, Clock clock) {
    return Instant.parse(steps.remember(FACT_AUDITED_AT, clock.instant().toString()));
  }
}
