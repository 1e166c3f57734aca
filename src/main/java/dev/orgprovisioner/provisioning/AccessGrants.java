package dev.orgprovisioner.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.port.StepLog;
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

  /** The failure code of a principal outside the org's domains. */
  static final String NOT_ALLOWED = "ACCESS_PRINCIPAL_NOT_ALLOWED";

  /** The profile column holding the managed set, as JSON. */
  static final String COLUMN = "access_grants";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a change did, for the job's event.
   *
   * @param tenantViews what the tenant views' convergence did; null when they are off
   */
  record Outcome(List<String> granted, List<String> revoked, TenantAccess.Outcome tenantViews) {
    static final Outcome NONE = new Outcome(List.of(), List.of(), null);
  }

  private final ProvisioningService service;
  private final CentralRows rows;
  private final TenantAccess tenant;

  AccessGrants(ProvisioningService service, CentralRows rows) {
    this.service = service;
    this.rows = rows;
    this.tenant = new TenantAccess(service);
  }

  /** Refuses the command's principals, before any change, when they are not the org's to grant. */
  void requireAllowed(OrgSlug org, Object adminEmail, List<AccessEntry> wanted) {
    if (wanted != null) {
      requireAllowed(org, adminEmail, service.settings().accessDomains(org), wanted);
    }
  }

  /**
   * Makes the org's dataset carry {@code wanted} of the worker's grants (null: the recorded set,
   * re-applied), revoking recorded ones no longer wanted and keeping every entry others manage;
   * records a new set on {@code profile} (null: not written yet; the onboarding's rows carry it).
   * With tenant views on, also converges them ({@link TenantAccess}), the org's principals becoming
   * readers of its views dataset. No warehouse call at all for an org that has and wants none and
   * has tenant views off.
   */
  Outcome converge(
      OrgSlug org, Map<String, Object> profile, List<AccessEntry> wanted, StepLog steps) {
    List<AccessEntry> recorded = profile == null ? List.of() : recorded(profile);
    List<AccessEntry> target = wanted == null ? recorded : wanted;
    TenantAccess.Outcome views = tenant.converge(org, target, recorded, steps).orElse(null);
    if (target.isEmpty() && recorded.isEmpty()) {
      return new Outcome(List.of(), List.of(), views);
    }
    String dataset = service.settings().orgDataset(org);
    steps.checkLease();
    Set<AccessEntry> before = Set.copyOf(service.warehouse().accessEntries(dataset));
    List<AccessEntry> revoke =
        recorded.stream().filter(e -> !target.contains(e) && before.contains(e)).toList();
    List<AccessEntry> grant = target.stream().filter(e -> !before.contains(e)).toList();
    if (!grant.isEmpty() || !revoke.isEmpty()) {
      steps.checkLease();
      service.warehouse().changeAccess(dataset, grant, revoke);
    }
    if (profile != null && wanted != null && !wanted.equals(recorded)) {
      Map<String, Object> update = new LinkedHashMap<>();
      update.put("org_slug", org.value());
      update.put(COLUMN, json(wanted));
      rows.write(
          List.of(
              new CentralRows.Row(ProvisioningService.PROFILES_TABLE, List.of("org_slug"), update)),
          steps);
    }
    return new Outcome(
        grant.stream().map(AccessEntry::principal).toList(),
        revoke.stream().map(AccessEntry::principal).toList(),
        views);
  }

  /**
   * Removes ({@code on} false) or gives back the org's recorded grants on its dataset, keeping the
   * entries others manage and the recorded set on the profile (offboarding, restore); the
   * principals switched. Nothing when the org records none or its dataset is gone. With tenant
   * views on, their readers switch too, and a restore converges the views and authorizations.
   */
  List<String> switchRecorded(OrgSlug org, Map<String, Object> profile, boolean on, StepLog steps) {
    List<AccessEntry> grants = recorded(profile);
    String dataset = service.settings().orgDataset(org);
    if (on) {
      tenant.converge(org, grants, List.of(), steps);
    } else {
      tenant.switchReaders(org, grants, false, steps);
    }
    if (grants.isEmpty() || !service.warehouse().datasetExists(dataset)) {
      return List.of();
    }
    steps.checkLease();
    service.warehouse().changeAccess(dataset, on ? grants : List.of(), on ? List.of() : grants);
    return grants.stream().map(AccessEntry::principal).toList();
  }

  /** The offboarding deadline: the org's tenant views dataset goes with its data (the names). */
  List<String> retireTenantViews(OrgSlug org, StepLog steps) {
    return tenant.retire(org, steps);
  }

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
                NOT_ALLOWED,
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
