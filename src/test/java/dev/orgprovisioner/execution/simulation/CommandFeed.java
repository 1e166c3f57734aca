package dev.orgprovisioner.execution.simulation;

import dev.orgprovisioner.command.MalformedCommands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The Pub/Sub side of a schedule: valid onboard and sync commands for a few orgs, duplicates that
 * reuse a command's idempotency key (with a new ce-id, or redelivered as is) and, rarely, a key
 * reused for another payload.
 */
final class CommandFeed {

  /**
   * One message as published.
   *
   * @param scope type, org and idempotency key: what one job answers for
   * @param variant which payload of the scope (two variants of one scope conflict)
   */
  record Message(
      String messageId,
      Map<String, String> attributes,
      byte[] data,
      String orderingKey,
      String scope,
      int variant) {

    String describe() {
      return messageId
          + " "
          + attributes.get("ce-type")
          + " of "
          + orderingKey
          + " key "
          + attributes.get("idempotency-key")
          + (variant == 0 ? "" : " (payload " + variant + ")");
    }
  }

  private final SplittableRandom random;
  private final int orgs;
  private final List<Message> sent = new ArrayList<>();
  private int next;

  CommandFeed(SplittableRandom random, int orgs) {
    this.random = random;
    this.orgs = orgs;
  }

  List<Message> sent() {
    return List.copyOf(sent);
  }

  /** A new command with a new key: onboarding (mostly the org's usual details) or sync. */
  Message fresh() {
    String org = "org_" + random.nextInt(orgs);
    boolean onboard = random.nextInt(10) < 6;
    String company = random.nextInt(10) == 0 ? "Rival of " + org : "Acme " + org;
    int n = ++next;
    return remember(message("m" + n, "cmd-" + n, "key-" + n, onboard, org, company, 0));
  }

  /** The same command again under a new ce-id and message id: same key, same payload. */
  Message duplicate() {
    Message earlier = pick();
    int n = ++next;
    Map<String, String> attrs = new LinkedHashMap<>(earlier.attributes());
    attrs.put("ce-id", "cmd-" + n);
    return remember(
        new Message(
            "m" + n,
            attrs,
            earlier.data(),
            earlier.orderingKey(),
            earlier.scope(),
            earlier.variant()));
  }

  /** An earlier message delivered again, unchanged (Pub/Sub's at-least-once delivery). */
  Message redelivery() {
    return pick();
  }

  /** An earlier command's key reused for another payload: must be refused. */
  Message conflicting() {
    Message earlier = pick();
    boolean onboard = earlier.attributes().get("ce-type").startsWith("org.onboard");
    int n = ++next;
    Message m =
        message(
            "m" + n,
            "cmd-" + n,
            earlier.attributes().get("idempotency-key"),
            onboard,
            earlier.orderingKey(),
            "Changed " + n,
            earlier.variant() + 1);
    return remember(m);
  }

  boolean hasSent() {
    return !sent.isEmpty();
  }

  private Message pick() {
    return sent.get(random.nextInt(sent.size()));
  }

  private Message remember(Message m) {
    sent.add(m);
    return m;
  }

  private static Message message(
      String messageId,
      String ceId,
      String key,
      boolean onboard,
      String org,
      String company,
      int variant) {
    Map<String, String> attrs = MalformedCommands.onboardAttributes(ceId);
    attrs.put("idempotency-key", key);
    Map<String, Object> data;
    if (onboard) {
      data = MalformedCommands.onboardData(org);
      data.put("company_name", company);
    } else {
      attrs.put("ce-type", "org.sync.requested");
      data = new LinkedHashMap<>();
      data.put("org_slug", org);
      if (variant > 0) {
        data.put("options", Map.of("dry_run", true, "tables", List.of("t" + variant)));
      }
    }
    String scope = attrs.get("ce-type") + "|" + org + "|" + key;
    return new Message(messageId, attrs, MalformedCommands.json(data), org, scope, variant);
  }
}
