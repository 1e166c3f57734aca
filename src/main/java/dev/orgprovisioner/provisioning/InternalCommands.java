package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.command.ViewOption;
import dev.orgprovisioner.execution.EventFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Commands the worker issues itself (a drift repair, a sync asked for over REST), shaped exactly
 * like those from Pub/Sub so they go through the same idempotency claim and queue.
 */
public final class InternalCommands {

  private InternalCommands() {}

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
    return new CommandEnvelope(
        id,
        source,
        now,
        idempotencyKey,
        EventFactory.digest(CommandType.SYNC.ceType() + "\n" + data),
        new Command.Sync(org, List.of(), true, views, false),
        data,
        Map.of("ce-id", id, "ce-type", CommandType.SYNC.ceType(), "ce-source", source),
        priority);
  }
}
