package dev.orgprovisioner.execution;

import java.time.Instant;
import java.util.List;

/**
 * A job as operations see it (ops CLI and admin API): state, attempts, the step log of completed
 * steps, the last error and the id of the trace it runs in; never the command's data.
 */
public record JobView(
    String jobId,
    String type,
    String orgSlug,
    JobState state,
    int priority,
    int attempts,
    Instant nextAttemptAt,
    String leaseOwner,
    Instant leaseExpiresAt,
    String commandId,
    String idempotencyKey,
    List<String> completedSteps,
    ErrorInfo lastError,
    Instant createdAt,
    Instant updatedAt,
    String traceId) {

  public static JobView of(Job j) {
    return new JobView(
        j.id(),
        j.type().ceType(),
        j.orgSlug(),
        j.state(),
        j.priority(),
        j.attempts(),
        j.nextAttemptAt(),
        j.leaseOwner(),
        j.leaseExpiresAt(),
        j.commandId(),
        j.idempotencyKey(),
        j.completedSteps(),
        j.lastError(),
        j.createdAt(),
        j.updatedAt(),
        j.trace() == null ? null : j.trace().traceId());
  }
}
