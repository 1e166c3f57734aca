package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.warehouse.Warehouse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a key hash an org's active API key and, when asked, deactivates its other active keys
 * (revocation time in {@code updated_at}). Keyed writes only: a repeated or resumed rotation
 * converges to the same rows.
 */
final class ApiKeyRotation {

  /** What a rotation did, for its event. */
  record Outcome(String keyId, boolean alreadyActive, List<String> revokedKeyIds, Instant at) {
    Map<String, Object> eventData(OrgSlug org) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("org_slug", org.value());
      data.put("api_key_id", keyId);
      data.put("already_active", alreadyActive);
      data.put("revoked_key_ids", revokedKeyIds);
      data.put("rotated_at", at.toString());
      return data;
    }
  }

  // An org has a handful of keys; this bounds a read of them all.
  private static final int MAX_KEYS = 10_000;

  private final Warehouse warehouse;
  private final String central;
  private final CentralRows rows;

  ApiKeyRotation(Warehouse warehouse, String central, CentralRows rows) {
    this.warehouse = warehouse;
    this.central = central;
    this.rows = rows;
  }

  /** The public id of a key: the org and the first 12 hex digits of its hash. */
  static String keyId(String org, String sha256) {
    return org + "_" + sha256.substring(0, 12);
  }

  Outcome rotate(OrgSlug org, String sha256, boolean revokePrevious, Instant at, StepLog steps) {
    String id = keyId(org.value(), sha256);
    steps.checkLease();
    List<Map<String, Object>> keys =
        warehouse.selectRows(
            central, CentralRows.API_KEYS, Map.of("org_slug", org.value()), MAX_KEYS);
    // A resumed attempt finds its predecessor's writes, stamped with the same time: they count as
    // this command's, so the event reports the same whichever attempt finishes.
    boolean alreadyActive =
        keys.stream()
            .anyMatch(
                k ->
                    id.equals(k.get("org_api_key_id"))
                        && Boolean.TRUE.equals(k.get("is_active"))
                        && !at.equals(CentralRows.instant(k.get("created_at"))));
    boolean present =
        keys.stream()
            .anyMatch(
                k -> id.equals(k.get("org_api_key_id")) && Boolean.TRUE.equals(k.get("is_active")));
    boolean revokedBefore =
        keys.stream()
            .anyMatch(
                k ->
                    id.equals(k.get("org_api_key_id")) && !Boolean.TRUE.equals(k.get("is_active")));
    if (revokedBefore) {
      throw new JobFailedException(
          ErrorInfo.permanent(
              "API_KEY_REVOKED",
              "key "
                  + id
                  + " of org '"
                  + org
                  + "' was revoked before; a revoked key is never re-activated: issue a new key"),
          null,
          null);
    }
    List<CentralRows.Row> writes = new ArrayList<>();
    if (!present) {
      Map<String, Object> key = new LinkedHashMap<>();
      key.put("org_api_key_id", id);
      key.put("org_slug", org.value());
      key.put("org_api_key_hash", sha256);
      key.put("is_active", true);
      key.put("created_at", at);
      writes.add(new CentralRows.Row(CentralRows.API_KEYS, List.of("org_api_key_id"), key));
    }
    List<String> revoked = new ArrayList<>();
    if (revokePrevious) {
      for (Map<String, Object> k : keys) {
        String other = String.valueOf(k.get("org_api_key_id"));
        if (!other.equals(id)
            && !Boolean.TRUE.equals(k.get("is_active"))
            && k.get("updated_at") != null
            && at.equals(CentralRows.instant(k.get("updated_at")))) {
          revoked.add(other);
        } else if (!other.equals(id) && Boolean.TRUE.equals(k.get("is_active"))) {
          // Only the columns revocation changes (plus the partition column, which lets BigQuery
          // prune): scopes, expiry and ciphertext set by others stay as they are.
          Map<String, Object> off = new LinkedHashMap<>();
          off.put("org_api_key_id", other);
          off.put("org_slug", org.value());
          off.put("is_active", false);
          off.put("updated_at", at);
          off.put("created_at", CentralRows.instant(k.get("created_at")));
          writes.add(new CentralRows.Row(CentralRows.API_KEYS, List.of("org_api_key_id"), off));
          revoked.add(other);
        }
      }
    }
    if (!writes.isEmpty()) {
      rows.write(writes, steps);
    }
    return new Outcome(id, alreadyActive, revoked, at);
  }
}
