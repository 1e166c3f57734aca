package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.command.SubscriptionPlan;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.warehouse.Warehouse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves an org to another plan: profile, subscription row and today's quota snapshot get the new
 * plan's limits together (keyed writes of those columns only), and usage the new limits no longer
 * cover is reported, never half-applied.
 */
final class PlanChange {

  /** One limit today's usage already exceeds under the new plan. */
  record OverLimit(String limit, long usage, long newLimit) {}

  /** What a plan change did, for its event. */
  record Outcome(
      SubscriptionPlan oldPlan,
      SubscriptionPlan newPlan,
      List<OverLimit> overLimit,
      boolean quotaAdjusted,
      Instant at) {
    Map<String, Object> eventData(OrgSlug org) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("org_slug", org.value());
      data.put("old_plan", oldPlan.name());
      data.put("new_plan", newPlan.name());
      data.put("old_limits", limits(oldPlan));
      data.put("new_limits", limits(newPlan));
      data.put(
          "over_limit",
          overLimit.stream()
              .map(o -> Map.of("limit", o.limit(), "usage", o.usage(), "new_limit", o.newLimit()))
              .toList());
      data.put("quota_adjusted", quotaAdjusted);
      data.put("changed_at", at.toString());
      return data;
    }
  }

  private final Warehouse warehouse;
  private final String central;
  private final CentralRows rows;

  PlanChange(Warehouse warehouse, String central, CentralRows rows) {
    this.warehouse = warehouse;
    this.central = central;
    this.rows = rows;
  }

  static Map<String, Object> limits(SubscriptionPlan plan) {
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("daily_limit", (long) plan.dailyLimit());
    limits.put("monthly_limit", (long) plan.monthlyLimit());
    limits.put("concurrent_limit", (long) plan.concurrentLimit());
    limits.put("seat_limit", (long) plan.seatLimit());
    limits.put("providers_limit", (long) plan.providersLimit());
    return limits;
  }

  /**
   * @param oldPlan the plan before the command, fixed at its first attempt
   * @param profile the org's profile row
   */
  Outcome change(
      OrgSlug org,
      Map<String, Object> profile,
      SubscriptionPlan oldPlan,
      SubscriptionPlan newPlan,
      Instant at,
      StepLog steps) {
    String slug = org.value();
    List<CentralRows.Row> writes = new ArrayList<>();
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("org_slug", slug);
    p.put("subscription_plan", newPlan.name());
    p.put("updated_at", at);
    p.put("created_at", CentralRows.instant(profile.get("created_at")));
    writes.add(new CentralRows.Row(CentralRows.PROFILES, List.of("org_slug"), p));

    steps.checkLease();
    String subscriptionId = slug + "_subscription";
    for (Map<String, Object> found :
        warehouse.selectRows(
            central, CentralRows.SUBSCRIPTIONS, Map.of("subscription_id", subscriptionId), 1)) {
      Map<String, Object> s = new LinkedHashMap<>(limits(newPlan));
      s.put("subscription_id", subscriptionId);
      s.put("org_slug", slug);
      s.put("plan_name", newPlan.name());
      s.put("updated_at", at);
      s.put("created_at", CentralRows.instant(found.get("created_at")));
      writes.add(new CentralRows.Row(CentralRows.SUBSCRIPTIONS, List.of("subscription_id"), s));
    }

    LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
    String usageId = slug + "_" + day;
    steps.checkLease();
    List<Map<String, Object>> quota =
        warehouse.selectRows(central, CentralRows.QUOTAS, Map.of("usage_id", usageId), 1);
    List<OverLimit> over = new ArrayList<>();
    if (!quota.isEmpty()) {
      Map<String, Object> today = quota.get(0);
      over(over, "daily_limit", today.get("pipelines_run_today"), newPlan.dailyLimit());
      over(over, "monthly_limit", today.get("pipelines_run_month"), newPlan.monthlyLimit());
      over(
          over,
          "concurrent_limit",
          today.get("concurrent_pipelines_running"),
          newPlan.concurrentLimit());
      Map<String, Object> q = new LinkedHashMap<>(limits(newPlan));
      q.put("usage_id", usageId);
      q.put("org_slug", slug);
      q.put("usage_date", day);
      q.put("last_updated", at);
      q.put("updated_at", at);
      writes.add(new CentralRows.Row(CentralRows.QUOTAS, List.of("usage_id"), q));
    }
    rows.write(writes, steps);
    return new Outcome(oldPlan, newPlan, over, !quota.isEmpty(), at);
  }

  private static void over(List<OverLimit> over, String limit, Object usage, int newLimit) {
    long used = usage instanceof Number n ? n.longValue() : 0L;
    if (used > newLimit) {
      over.add(new OverLimit(limit, used, newLimit));
    }
  }
}
