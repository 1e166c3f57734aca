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
  static final String FACT_ROTATED_AT = "api_key_rotated_at";

  private JobTimes() {}

  /** The time of a key rotation, fixed at the first attempt (microseconds, as stored). */
  static Instant rotatedAt(StepLog steps, Clock clock) {
    return Instant.parse(
        steps.remember(FACT_ROTATED_AT, clock.instant().truncatedTo(ChronoUnit.MICROS).toString()));
  }

  /** The time of the job's audit entry, fixed at the first attempt that writes it. */
  static Instant auditedAt(StepLog steps, Clock clock) {
    return Instant.parse(steps.remember(FACT_AUDITED_AT, clock.instant().toString()));
  }
}
