package dev.orgprovisioner.execution;

import java.time.Duration;

/**
 * Tunables of the worker pool.
 *
 * @param workers jobs run at once by this instance
 * @param maxAttempts runs of a job before a transient failure becomes final
 * @param backoffBase first retry delay; doubled per attempt, with jitter
 * @param backoffMax cap on the retry delay
 * @param sweepInterval how often due retries, waiting jobs and expired leases are looked for
 * @param heartbeatInterval how often running jobs extend their lease
 * @param shutdownGrace how long running jobs may take to finish at shutdown
 */
public record ExecutionSettings(
    int workers,
    int maxAttempts,
    Duration backoffBase,
    Duration backoffMax,
    Duration sweepInterval,
    Duration heartbeatInterval,
    Duration shutdownGrace) {}
