package dev.orgprovisioner.execution;

import java.time.Duration;

/**
 * Tunables of the worker pool (defaults: {@code app/ExecutionConfig}).
 *
 * @param workers jobs run at once by this instance
 * @param maxAttempts claims of a job before it fails for good ({@code ATTEMPTS_EXHAUSTED}), and
 *     runs before a transient failure becomes final
 * @param backoffBase first retry delay; doubled per attempt, with jitter
 * @param backoffMax cap on the retry delay
 * @param sweepInterval how often claimable jobs and unpublished events are looked for
 * @param heartbeatInterval how often running jobs extend their lease
 * @param shutdownGrace how long running jobs may take to finish at shutdown
 * @param leaseMargin a warehouse step starts only while at least this much of the lease is left
 * @param maxRunTime longest one attempt of a job may run before it gives its org back
 */
public record ExecutionSettings(
    int workers,
    int maxAttempts,
    Duration backoffBase,
    Duration backoffMax,
    Duration sweepInterval,
    Duration heartbeatInterval,
    Duration shutdownGrace,
    Duration leaseMargin,
    Duration maxRunTime) {}
