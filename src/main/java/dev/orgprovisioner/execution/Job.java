package dev.orgprovisioner.execution;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.command.TraceContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A unit of work in the execution queue, created by the intake with the idempotency claim.
 *
 * @param lockKey what the job is exclusive on: the org slug, or {@code ~central} / {@code ~drift}
 * @param data the command's canonical JSON data
 * @param attributes the command message's original attributes
 * @param epoch how often the job was claimed: the fencing token of its current lease
 * @param completedSteps names of the steps already done; a resumed job skips them
 * @param facts what earlier attempts decided once for all attempts (see StepLog#remember)
 * @param lastError the last failure, if any
 * @param trace the trace its runs continue (the intake's span), or null; kept with the job so that
 *     any instance, after any restart, runs it in the same trace
 */
public record Job(
    String id,
    CommandType type,
    String orgSlug,
    String lockKey,
    int priority,
    JobState state,
    int attempts,
    long epoch,
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
    Map<String, String> facts,
    Instant createdAt,
    Instant updatedAt,
    ErrorInfo lastError,
    TraceContext trace) {

  public Job {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    completedSteps = completedSteps == null ? List.of() : List.copyOf(completedSteps);
    facts = facts == null ? Map.of() : Map.copyOf(facts);
  }

  /** A job outside any trace. */
  public Job(
      String id,
      CommandType type,
      String orgSlug,
      String lockKey,
      int priority,
      JobState state,
      int attempts,
      long epoch,
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
      Map<String, String> facts,
      Instant createdAt,
      Instant updatedAt,
      ErrorInfo lastError) {
    this(
        id,
        type,
        orgSlug,
        lockKey,
        priority,
        state,
        attempts,
        epoch,
        nextAttemptAt,
        leaseOwner,
        leaseExpiresAt,
        commandId,
        idempotencyKey,
        keyId,
        fingerprint,
        data,
        attributes,
        completedSteps,
        facts,
        createdAt,
        updatedAt,
        lastError,
        null);
  }

  /** The lease this job holds in its current epoch (meaningful while RUNNING). */
  public Lease lease() {
    return new Lease(id, leaseOwner, epoch);
  }

  /** The job a newly accepted command creates: QUEUED, due now (or at its due time), unclaimed. */
  public static Job accepted(String id, CommandEnvelope envelope, String keyId, Instant now) {
    String org = envelope.command().org().map(OrgSlug::value).orElse(null);
    Instant due =
        envelope.dueAt() != null && envelope.dueAt().isAfter(now) ? envelope.dueAt() : now;
    return new Job(
        id,
        envelope.type(),
        org,
        lockKeyFor(envelope.type(), org),
        envelope.priority(),
        JobState.QUEUED,
        0,
        0,
        due,
        null,
        null,
        envelope.id(),
        envelope.idempotencyKey(),
        keyId,
        envelope.fingerprint(),
        envelope.data(),
        envelope.attributes(),
        List.of(),
        Map.of(),
        now,
        now,
        null,
        envelope.trace());
  }

  /** This job in another queue state (claimed, re-queued, ended), updated at {@code now}. */
  public Job inState(
      JobState newState,
      int newAttempts,
      long newEpoch,
      Instant newNextAttemptAt,
      String newOwner,
      Instant newLeaseExpiresAt,
      Instant now) {
    return new Job(
        id,
        type,
        orgSlug,
        lockKey,
        priority,
        newState,
        newAttempts,
        newEpoch,
        newNextAttemptAt,
        newOwner,
        newLeaseExpiresAt,
        commandId,
        idempotencyKey,
        keyId,
        fingerprint,
        data,
        attributes,
        completedSteps,
        facts,
        createdAt,
        now,
        lastError,
        trace);
  }

  /** This job with other progress: steps done, facts, last error; updated at {@code now}. */
  public Job withProgress(
      List<String> steps, Map<String, String> newFacts, ErrorInfo error, Instant now) {
    return new Job(
        id,
        type,
        orgSlug,
        lockKey,
        priority,
        state,
        attempts,
        epoch,
        nextAttemptAt,
        leaseOwner,
        leaseExpiresAt,
        commandId,
        idempotencyKey,
        keyId,
        fingerprint,
        data,
        attributes,
        steps,
        newFacts,
        createdAt,
        now,
        error,
        trace);
  }

  /** The key a non-org job of this type is exclusive on. */
  public static String lockKeyFor(CommandType type, String orgSlug) {
    if (orgSlug != null) {
      return orgSlug;
    }
    if (type.rollout()) {
      return "~rollout";
    }
    return type == CommandType.BOOTSTRAP ? "~central" : "~drift";
  }

  /** True when a claim may take the job now: due in the queue, or RUNNING with a lapsed lease. */
  public boolean isClaimable(Instant now) {
    return switch (state) {
      case QUEUED -> nextAttemptAt == null || !nextAttemptAt.isAfter(now);
      case RUNNING -> leaseExpiresAt == null || !leaseExpiresAt.isAfter(now);
      default -> false;
    };
  }
}
