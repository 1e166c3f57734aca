package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.command.ViewOption;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.JobTrace;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Commands the worker issues itself (a drift repair, a sync asked for over REST, an offboarding's
 * deadline), shaped exactly like those from Pub/Sub so they go through the same idempotency claim
 * and queue.
 */
public final class InternalCommands {

  private InternalCommands() {}

  /**
   * A command as Pub/Sub would deliver it (fingerprint and CloudEvents attributes from its type and
   * data). Queued while a job runs, it continues that job's trace; queued elsewhere, none.
   */
  private static CommandEnvelope envelope(
      String id,
      String source,
      Instant now,
      String idempotencyKey,
      CommandType type,
      Command command,
      String data,
      int priority,
      Instant dueAt) {
    return new CommandEnvelope(
            id,
            source,
            now,
            idempotencyKey,
            EventFactory.digest(type.ceType() + "\n" + data),
            command,
            data,
            Map.of("ce-id", id, "ce-type", type.ceType(), "ce-source", source),
            priority,
            dueAt)
        .withTrace(JobTrace.current());
  }

  /** Queue priority of a sync a customer asked for (REST). */
  public static final int CUSTOMER_SYNC = 2;

  /** Queue priority of a drift repair: after onboardings and customers' syncs. */
  public static final int DRIFT_REPAIR = 3;

  /** A full additive sync of one org, at the priority of a customer's sync. */
  public static CommandEnvelope sync(
      OrgSlug org, String id, String source, String idempotencyKey, Instant now) {
    return sync(org, id, source, idempotencyKey, now, CUSTOMER_SYNC);
  }

  /** A full additive sync of one org, queued at {@code priority} (1 first). */
  public static CommandEnvelope sync(
      OrgSlug org, String id, String source, String idempotencyKey, Instant now, int priority) {
    return sync(org, id, source, idempotencyKey, now, priority, ViewOption.UPDATE);
  }

  /** A sync of one org doing {@code views} with its views, queued at {@code priority}. */
  public static CommandEnvelope sync(
      OrgSlug org,
      String id,
      String source,
      String idempotencyKey,
      Instant now,
      int priority,
      ViewOption views) {
    String options =
        switch (views) {
          case UPDATE -> "{}";
          case SKIP -> "{\"views\":false}";
          case RECREATE -> "{\"views\":\"recreate\"}";
        };
    String data = "{\"options\":" + options + ",\"org_slug\":\"" + org.value() + "\"}";
    return envelope(
        id,
        source,
        now,
        idempotencyKey,
        CommandType.SYNC,
        new Command.Sync(org, List.of(), true, views, false),
        data,
        priority,
        null);
  }

  /**
   * A roll-out's sync of one org: a full additive sync that fails on non-additive drift, keyed by
   * roll-out, generation (bumped by each resume) and org so a resumed driver queues it once.
   */
  public static CommandEnvelope rolloutSync(
      OrgSlug org, String rolloutId, int generation, Instant now) {
    String id = EventFactory.digest("rollout|" + rolloutId + "|" + generation + "|" + org.value());
    String source = "//org-provisioner/rollout/" + rolloutId;
    String data =
        "{\"options\":{\"fail_on_non_additive_drift\":true},\"org_slug\":\"" + org.value() + "\"}";
    return envelope(
        id,
        source,
        now,
        id,
        CommandType.SYNC,
        new Command.Sync(org, List.of(), true, ViewOption.UPDATE, false, null, true),
        data,
        DRIFT_REPAIR,
        null);
  }

  /**
   * The durable timer of an offboarding: queued now, due at {@code deletionAt}, keyed by the
   * offboarding job so a resumed offboarding queues it once.
   */
  public static CommandEnvelope offboardDeadline(
      OrgSlug org, Instant deletionAt, String offboardJobId, Instant now) {
    String id = EventFactory.digest("offboard-deadline|" + offboardJobId);
    String source = "//org-provisioner/offboarding";
    CommandType type = CommandType.OFFBOARD_DEADLINE;
    String data =
        "{\"deletion_scheduled_at\":\"" + deletionAt + "\",\"org_slug\":\"" + org.value() + "\"}";
    return envelope(
        id,
        source,
        now,
        "offboard-deadline-" + offboardJobId,
        type,
        new Command.OffboardDeadline(org, deletionAt),
        data,
        type.priority(),
        deletionAt);
  }

  /**
   * A roll-out's wave ended: the command whose job publishes {@code rollout.wave.completed} with
   * {@code summary}, keyed by roll-out, generation and wave so a driver re-running its step
   * announces it once.
   */
  public static CommandEnvelope rolloutWaveEnded(
      String rolloutId, int generation, int wave, Map<String, Object> summary, Instant now) {
    String id = EventFactory.digest("rollout-wave|" + rolloutId + "|" + generation + "|" + wave);
    String source = "//org-provisioner/rollout/" + rolloutId;
    CommandType type = CommandType.ROLLOUT_WAVE_ENDED;
    String data;
    try {
      data = SORTED.writeValueAsString(new java.util.TreeMap<>(summary));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return envelope(
        id,
        source,
        now,
        id,
        type,
        new Command.RolloutWaveEnded(rolloutId, summary),
        data,
        type.priority(),
        null);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper SORTED =
      new com.fasterxml.jackson.databind.ObjectMapper()
          .configure(
              com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
}
