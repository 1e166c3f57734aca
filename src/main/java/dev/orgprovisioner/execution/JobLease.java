package dev.orgprovisioner.execution;

import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.execution.port.StepLog.LeaseLostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a worker knows of the lease it runs a job under: its fencing token, whose job it is (command
 * type and org, to attribute the job's warehouse work), the expiry the ledger last confirmed,
 * whether a write found it lost, and the job's running-time deadline. A warehouse step may start
 * only while {@link #check} passes.
 */
public final class JobLease {

  private final Lease lease;
  private final CommandType type;
  private final String orgSlug;
  private final Duration margin;
  private final Instant deadline;
  private volatile Instant expiresAt;
  private volatile boolean lost;

  /**
   * @param orgSlug the org the job concerns; null for jobs of no one org (bootstrap, drift check)
   * @param margin a step starts only while at least this much of the lease is left: longer than any
   *     one warehouse call may take, so no call outlives the lease it started under
   * @param deadline when the job's running time is up
   */
  public JobLease(
      Lease lease,
      CommandType type,
      String orgSlug,
      Instant expiresAt,
      Duration margin,
      Instant deadline) {
    this.lease = lease;
    this.type = Objects.requireNonNull(type, "type");
    this.orgSlug = orgSlug;
    this.expiresAt = expiresAt;
    this.margin = margin;
    this.deadline = deadline;
  }

  public Lease lease() {
    return lease;
  }

  public String jobId() {
    return lease.jobId();
  }

  public CommandType commandType() {
    return type;
  }

  /** The org the job concerns, if it concerns one. */
  public Optional<String> orgSlug() {
    return Optional.ofNullable(orgSlug);
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  /** The ledger confirmed the lease until {@code until}. */
  public void extendedTo(Instant until) {
    if (until.isAfter(expiresAt)) {
      expiresAt = until;
    }
  }

  /** A ledger write found the lease gone (another epoch took the job, or it was handed back). */
  public void markLost() {
    lost = true;
  }

  /** True while the lease is held and not about to run out at {@code now}. */
  public boolean isUsable(Instant now) {
    return !lost && now.plus(margin).isBefore(expiresAt);
  }

  /**
   * Passes only while the lease is held with at least the margin left and the job's time is not up.
   * Throws {@link LeaseLostException} (stop, write nothing) or {@link JobFailedException} with the
   * transient {@code JOB_TIMED_OUT} (give the org back and retry later).
   */
  public void check(Instant now) {
    if (!isUsable(now)) {
      lost = true;
      throw new LeaseLostException(lease.jobId());
    }
    if (!now.isBefore(deadline)) {
      throw new JobFailedException(
          ErrorInfo.transientError(
              "JOB_TIMED_OUT", "the job ran longer than its limit (until " + deadline + ")"),
          null,
          null);
    }
  }
}
