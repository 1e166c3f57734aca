package dev.orgprovisioner.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.plan.AccessEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An org's principals on its dataset: recorded on its profile (so they can be revoked and checked),
 * limited to the domains the org may use, applied by merging with the entries the worker does not
 * manage.
 */
final class AccessGrants {

  /** The profile column holding the managed set, as JSON. */
  static final String COLUMN = "access_grants";

  private static final ObjectMapper JSON = new ObjectMapper();

  private AccessGrants() {}

  /** The managed set a profile records; empty when none. */
  static List<AccessEntry> recorded(Map<String, Object> profile) {
    Object value = profile.get(COLUMN);
    if (value == null || String.valueOf(value).isBlank()) {
      return List.of();
    }
    try {
      List<AccessEntry> out = new ArrayList<>();
      for (JsonNode n : JSON.readTree(String.valueOf(value))) {
        out.add(
            AccessEntry.parse(
                n.path("principal").asText(),
                AccessEntry.Role.valueOf(n.path("role").asText().toUpperCase(Locale.ROOT))));
      }
      return out;
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalStateException("the profile's " + COLUMN + " is not a list of grants", e);
    }
  }

  /** The managed set as the profile records it. */
  static String json(List<AccessEntry> grants) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (AccessEntry e : grants) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("principal", e.principal());
      row.put("role", e.role().name().toLowerCase(Locale.ROOT));
      rows.add(row);
    }
    try {
      return JSON.writeValueAsString(rows);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Refuses, before any change, a grant to a principal outside the org's domains (its admin's and
   * those configured for it): another org's people are never let in by a tenant's command.
   */
  static void requireAllowed(
      OrgSlug org, Object adminEmail, Set<String> configured, List<AccessEntry> wanted) {
    Set<String> allowed = new TreeSet<>();
    String admin = String.valueOf(adminEmail);
    if (admin.contains("@")) {
      allowed.add(admin.substring(admin.indexOf('@') + 1).toLowerCase(Locale.ROOT));
    }
    configured.forEach(d -> allowed.add(d.trim().toLowerCase(Locale.ROOT)));
    for (int i = 0; i < wanted.size(); i++) {
      AccessEntry e = wanted.get(i);
      if (!allowed.contains(e.domain())) {
        throw new JobFailedException(
            ErrorInfo.permanent(
                "ACCESS_PRINCIPAL_NOT_ALLOWED",
                "data.access["
                    + i
                    + "].principal "
                    + e.principal()
                    + " is outside the domains org '"
                    + org
                    + "' may grant to "
                    + allowed
                    + " (its admin's domain and provisioner.access-domains."
                    + org
                    + "); nothing was changed"),
            null,
            null);
      }
    }
  }
}
