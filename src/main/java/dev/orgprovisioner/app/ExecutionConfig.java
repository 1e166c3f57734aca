package dev.orgprovisioner.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The worker pool: size, retries, sweep and lease timing. */
@ConfigMapping(prefix = "execution")
public interface ExecutionConfig {

  /** Jobs this instance runs at once. */
  @WithDefault("4")
  int workers();

  /** Runs of a job before a transient failure becomes final. */
  @WithDefault("6")
  int maxAttempts();

  /** First retry delay of a failed job; doubled per attempt, with jitter. */
  @WithDefault("2s")
  Duration backoffBase();

  /** Longest retry delay of a failed job. */
  @WithDefault("5m")
  Duration backoffMax();

  /** How often due retries, waiting jobs, expired leases and unpublished events are looked for. */
  @WithDefault("5s")
  Duration sweepInterval();

  /**
   * How often running jobs extend their lease: well below ledger.lease-duration minus
   * execution.lease-margin, so one missed heartbeat does not stop a job.
   */
  @WithDefault("15s")
  Duration heartbeatInterval();

  /**
   * A warehouse step starts only while at least this much of its job's lease is left; longer than
   * any one warehouse call may take (warehouse timeouts), so no call outlives its lease.
   */
  @WithDefault("45s")
  Duration leaseMargin();

  /** Longest one attempt of a job may run; then it fails transiently and gives its org back. */
  @WithDefault("15m")
  Duration maxRunTime();

  /**
   * How long running jobs may take to finish at shutdown before their leases are handed back; with
   * the intake's drain in parallel it fits Cloud Run's 10 s between SIGTERM and SIGKILL.
   */
  @WithDefault("6s")
  Duration shutdownGrace();

  /** How often a roll-out's driver looks at its wave again while it waits (syncs, bake time). */
  @WithDefault("10s")
  Duration rolloutPollInterval();

  /** Warehouse calls one job makes in parallel (e.g. creating tables). */
  @WithDefault("10")
  int tableParallelism();

  /** Repair syncs one drift check may queue at most. */
  @WithDefault("50")
  int driftMaxRepairs();

  /** Orgs a drift check reads from the warehouse per pass (memory stays flat per chunk). */
  @WithDefault("200")
  int driftChunkSize();

  /** Name of this instance in leases; defaults to the host name plus a random suffix. */
  Optional<String> instanceId();
}
