package dev.orgprovisioner.execution;

import dev.orgprovisioner.command.CommandType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A unit of work in the execution queue, created by the intake with the idempotency claim.
 *
 * @param lockKey what the job is exclusive on: the org slug, or {@code ~central} / {@code ~drift}
 * @param data the command's canonical JSON data
 * @param attributes the command message's original attributes
 * @param completedSteps names of the steps already done; a resumed job skips them
 * @param lastError the last failure, if any
 */
public record Job(
    String id,
    CommandType type,
    String orgSlug,
    String lockKey,
    int priority,
    JobState state,
    int attempts,
    Instant nextAttemptAt,
    String leaseOwner,
    Instant leaseExpiresAt,
    String commandId,
    String idempotencyKey,
    String keyId,
    String fingerprint,
    String data,
    Map<String, String> attributes,
    List<String> completedSteps,
    Instant createdAt,
    Instant updatedAt,
    ErrorInfo lastError) {

  public Job {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    completedSteps = completedSteps == null ? List.of() : List.copyOf(completedSteps);
  }

  /** The key a non-org job of this type is exclusive on. */
  public static String lockKeyFor(CommandType type, String orgSlug) {
    if (orgSlug != null) {
      return orgSlug;
    }
    return type == CommandType.BOOTSTRAP ? "~central" : "~drift";
  }

  public boolean isLeasedBy(String owner, Instant now) {
    return state == JobState.RUNNING
        && owner.equals(leaseOwner)
        && leaseExpiresAt != null
        && leaseExpiresAt.isAfter(now);
  }
}
