package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.warehouse.Warehouse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns an org's API keys and notification channels off and on again. Rows turned off carry the
 * offboarding's time in {@code updated_at}, so a restore turns on exactly those (a key revoked
 * before stays revoked); keyed writes only, so a repeated attempt converges.
 */
final class OrgAccess {

  static final String CHANNELS = "org_notification_channels";

  // An org has a handful of keys and channels; this bounds a read of them all.
  private static final int MAX_ROWS = 10_000;

  private record Kind(String table, String idColumn, List<String> keep) {}

  // Partition column of the keys table: written back unchanged so BigQuery's MERGE prunes.
  private static final Kind KEYS =
      new Kind(CentralRows.API_KEYS, "org_api_key_id", List.of("created_at"));
  private static final Kind CHANNEL = new Kind(CHANNELS, "channel_id", List.of());

  private final Warehouse warehouse;
  private final String central;
  private final CentralRows rows;

  OrgAccess(Warehouse warehouse, String central, CentralRows rows) {
    this.warehouse = warehouse;
    this.central = central;
    this.rows = rows;
  }

  /** Deactivates the org's active keys; the ids of those this offboarding deactivated. */
  List<String> deactivateKeys(OrgSlug org, Instant at, StepLog steps) {
    return switchAll(KEYS, org, true, null, false, at, steps);
  }

  /** Disables the org's enabled channels; the ids of those this offboarding disabled. */
  List<String> disableChannels(OrgSlug org, Instant at, StepLog steps) {
    return switchAll(CHANNEL, org, true, null, false, at, steps);
  }

  /** Reactivates the keys the offboarding started {@code offAt} deactivated. */
  List<String> reactivateKeys(OrgSlug org, Instant offAt, Instant at, StepLog steps) {
    return switchAll(KEYS, org, false, offAt, true, at, steps);
  }

  /** Enables the channels the offboarding started {@code offAt} disabled. */
  List<String> enableChannels(OrgSlug org, Instant offAt, Instant at, StepLog steps) {
    return switchAll(CHANNEL, org, false, offAt, true, at, steps);
  }

  /**
   * Sets {@code is_active = to} on the org's rows that have {@code is_active = from} (and, when
   * {@code changedAt} is given, were last changed then), stamped {@code at}. Returns every row now
   * switched at {@code at}: those of this call and of an earlier attempt of the same job.
   */
  private List<String> switchAll(
      Kind kind,
      OrgSlug org,
      boolean from,
      Instant changedAt,
      boolean to,
      Instant at,
      StepLog steps) {
    steps.checkLease();
    List<Map<String, Object>> all =
        warehouse.selectRows(central, kind.table(), Map.of("org_slug", org.value()), MAX_ROWS);
    List<CentralRows.Row> writes = new ArrayList<>();
    List<String> switched = new ArrayList<>();
    for (Map<String, Object> row : all) {
      boolean active = Boolean.TRUE.equals(row.get("is_active"));
      Instant updated =
          row.get("updated_at") == null ? null : CentralRows.instant(row.get("updated_at"));
      String id = String.valueOf(row.get(kind.idColumn()));
      if (active == to && at.equals(updated)) {
        switched.add(id);
      } else if (active == from && (changedAt == null || changedAt.equals(updated))) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(kind.idColumn(), id);
        values.put("org_slug", org.value());
        values.put("is_active", to);
        values.put("updated_at", at);
        kind.keep().stream()
            .filter(c -> row.get(c) != null)
            .forEach(c -> values.put(c, CentralRows.instant(row.get(c))));
        writes.add(new CentralRows.Row(kind.table(), List.of(kind.idColumn()), values));
        switched.add(id);
      }
    }
    if (!writes.isEmpty()) {
      rows.write(writes, steps);
    }
    switched.removeIf(Objects::isNull);
    return switched;
  }
}
