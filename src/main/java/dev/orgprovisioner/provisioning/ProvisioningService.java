package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.plan.CatalogVersions;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.ForcedViews;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.Plan;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.plan.SyncStatus;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Use cases on datasets: bootstrap the central dataset, plan and sync an org, report status. Every
 * plan and status of one dataset rests on the warehouse's fresh read, never on the bulk one.
 */
public final class ProvisioningService {

  /** The central table that says which orgs exist. */
  public static final String PROFILES_TABLE = "org_profiles";

  /** The profile column that records where the org's dataset lives. */
  public static final String LOCATION_COLUMN = "dataset_location";

  private final Catalog catalog;
  private final Warehouse warehouse;
  private final ProvisioningSettings settings;
  private final PlanApplier applier;

  /** A service that applies plan steps one at a time. */
  public ProvisioningService(Catalog catalog, Warehouse warehouse, ProvisioningSettings settings) {
    this(catalog, warehouse, settings, new PlanApplier(warehouse, null, 1));
  }

  public ProvisioningService(
      Catalog catalog, Warehouse warehouse, ProvisioningSettings settings, PlanApplier applier) {
    this.catalog = catalog;
    this.warehouse = warehouse;
    this.settings = settings;
    this.applier = applier;
  }

  /**
   * This service over a warehouse that refuses every write: plans, statuses and dry runs, with no
   * way to change anything.
   */
  public ProvisioningService readOnly() {
    return warehouse instanceof ReadOnlyWarehouse
        ? this
        : new ProvisioningService(catalog, new ReadOnlyWarehouse(warehouse), settings);
  }

  public Catalog catalog() {
    return catalog;
  }

  public Warehouse warehouse() {
    return warehouse;
  }

  public ProvisioningSettings settings() {
    return settings;
  }

  public String centralDataset() {
    return catalog.central().datasetName();
  }

  /** What the central dataset should look like. */
  public DesiredDataset desiredCentral() {
    return new DesiredDataset(
        centralDataset(), settings.defaultLocation(), catalog.central(), centralDataset(), null);
  }

  /**
   * What an org's dataset should look like: at the recorded location (none: the default), with the
   * recorded settings under the configured ones ({@link ProvisioningSettings#datasetSettings}).
   */
  public DesiredDataset desiredOrg(OrgSlug org, RecordedDataset recorded) {
    return new DesiredDataset(
        settings.orgDataset(org),
        isBlank(recorded.location()) ? settings.defaultLocation() : recorded.location(),
        catalog.org(),
        centralDataset(),
        org.value(),
        settings.datasetSettings(org, catalog.org().datasetSettings(), recorded.settings()));
  }

  /** Plans a dataset against a snapshot, comparing views' SQL as this warehouse renders it. */
  public Plan plan(DesiredDataset desired, Optional<ObservedDataset> observed) {
    return Planner.plan(desired, observed, warehouse::viewSql);
  }

  public Plan planCentral() {
    DesiredDataset desired = desiredCentral();
    return plan(desired, warehouse.freshSnapshot(desired.name()));
  }

  /** The plan of an org's dataset, as its profile records it (location, settings). */
  public Plan planOrg(OrgSlug org) {
    return planOrg(org, profile(org).map(RecordedDataset::of).orElse(RecordedDataset.NONE));
  }

  /**
   * The plan of an org's dataset as {@code recorded}; when no location is recorded, an existing
   * dataset stays where it is and a missing one is created in the default location.
   */
  public Plan planOrg(OrgSlug org, RecordedDataset recorded) {
    return planOrg(org, recorded, warehouse.freshSnapshot(settings.orgDataset(org)));
  }

  /** As {@link #planOrg(OrgSlug, RecordedDataset)}, against a snapshot the caller already took. */
  public Plan planOrg(OrgSlug org, RecordedDataset recorded, Optional<ObservedDataset> observed) {
    return planOrg(org, recorded, observed, false);
  }

  /**
   * As {@link #planOrg(OrgSlug, RecordedDataset)}; with {@code recreateViews} every view of the
   * catalog is replaced, even one that is up to date ({@link ForcedViews}).
   */
  public Plan planOrg(OrgSlug org, RecordedDataset recorded, boolean recreateViews) {
    return planOrg(org, recorded, warehouse.freshSnapshot(settings.orgDataset(org)), recreateViews);
  }

  private Plan planOrg(
      OrgSlug org,
      RecordedDataset recorded,
      Optional<ObservedDataset> observed,
      boolean recreateViews) {
    String where =
        isBlank(recorded.location())
            ? observed.map(ObservedDataset::location).orElse(null)
            : recorded.location();
    DesiredDataset desired = desiredOrg(org, recorded.withLocation(where));
    Plan plan = plan(desired, observed);
    return recreateViews ? ForcedViews.of(plan, desired, observed) : plan;
  }

  /** The slugs of the orgs with a profile that are not being offboarded (a roll-out's fleet). */
  public java.util.List<String> activeOrgs() {
    if (warehouse.freshSnapshot(centralDataset()).isEmpty()) {
      return java.util.List.of();
    }
    return warehouse.selectRows(centralDataset(), PROFILES_TABLE, Map.of(), 10_000_000).stream()
        .filter(row -> !Offboarding.leaving(row.get("status")))
        .map(row -> String.valueOf(row.get("org_slug")))
        .sorted()
        .toList();
  }

  /** The org's profile row in the central dataset, if it was onboarded. */
  public Optional<Map<String, Object>> profile(OrgSlug org) {
    return profileLookup(org).flatMap(rows -> rows.stream().findFirst());
  }

  /**
   * The org's profile rows (at most one), or empty when there is no profiles table to look in (not
   * bootstrapped): a query, so it sees a table created a moment ago, unlike a bulk snapshot.
   */
  private Optional<List<Map<String, Object>>> profileLookup(OrgSlug org) {
    try {
      return Optional.of(
          warehouse.selectRows(
              centralDataset(), PROFILES_TABLE, Map.of("org_slug", org.value()), 1));
    } catch (WarehouseException e) {
      if (e.kind() == WarehouseException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The dataset location a profile records, or null (profiles written before it was recorded). */
  public static String recordedLocation(Map<String, Object> profile) {
    Object location = profile.get(LOCATION_COLUMN);
    return location == null || location.toString().isBlank() ? null : location.toString();
  }

  /**
   * What a sync of the org would do, changing nothing: status NOT_FOUND for an org that was never
   * onboarded (a sync of it fails), else the plan at its recorded location.
   */
  public SyncResult previewSync(OrgSlug org) {
    return previewSync(org, false);
  }

  /** As {@link #previewSync(OrgSlug)}; with {@code recreateViews} the plan replaces every view. */
  public SyncResult previewSync(OrgSlug org, boolean recreateViews) {
    Optional<Map<String, Object>> profile = profile(org);
    if (profile.isEmpty()) {
      return new SyncResult(PlanReport.notFound(settings.orgDataset(org)), true, List.of());
    }
    return apply(planOrg(org, RecordedDataset.of(profile.get()), recreateViews), true);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** Creates or completes the central dataset (additive steps only). */
  public SyncResult bootstrap(boolean dryRun) {
    return apply(planCentral(), dryRun);
  }

  /** Brings an org's dataset in line with the catalog (additive steps only). */
  public SyncResult syncOrg(OrgSlug org, boolean dryRun) {
    return apply(planOrg(org), dryRun);
  }

  /** Applies every step of a plan in order; the planner only ever emits additive steps. */
  public SyncResult apply(Plan plan, boolean dryRun) {
    return apply(plan, plan.steps(), dryRun);
  }

  /** Applies a chosen subset of a plan's steps (in plan order), e.g. only some tables. */
  public SyncResult apply(Plan plan, List<PlanStep> steps, boolean dryRun) {
    List<String> applied = dryRun ? List.of() : applier.apply(steps);
    return new SyncResult(PlanReport.of(plan), dryRun, applied);
  }

  /**
   * What exists of an org right now, for failure events: whether the dataset exists, which catalog
   * tables and views are missing, and whether its profile row was written.
   */
  public java.util.Map<String, Object> describeOrg(OrgSlug org) {
    String dataset = settings.orgDataset(org);
    Optional<ObservedDataset> observed = warehouse.freshSnapshot(dataset);
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("dataset", dataset);
    out.put("dataset_exists", observed.isPresent());
    out.put(
        "missing_tables",
        catalog.org().tables().stream()
            .map(t -> t.name())
            .filter(t -> observed.map(o -> o.table(t).isEmpty()).orElse(true))
            .toList());
    out.put(
        "missing_views",
        catalog.org().views().stream()
            .map(v -> v.name())
            .filter(v -> observed.map(o -> o.view(v).isEmpty()).orElse(true))
            .toList());
    out.put("profile_exists", profile(org).isPresent());
    return out;
  }

  public StatusReport centralStatus() {
    DesiredDataset desired = desiredCentral();
    String ours = catalog.central().version();
    Optional<ObservedDataset> observed = warehouse.freshSnapshot(desired.name());
    if (observed.isEmpty()) {
      return new StatusReport(
          "central", desired.name(), SyncStatus.NOT_BOOTSTRAPPED, false, null, null, ours);
    }
    Plan plan = plan(desired, observed);
    return new StatusReport(
        "central",
        desired.name(),
        plan.status(),
        true,
        PlanReport.of(plan),
        version(observed),
        ours);
  }

  /** The status of an org from a fresh read: also what an onboarding reports once applied. */
  public StatusReport orgStatus(OrgSlug org) {
    String dataset = settings.orgDataset(org);
    String ours = catalog.org().version();
    Optional<ObservedDataset> observed = warehouse.freshSnapshot(dataset);
    String version = version(observed);
    Optional<List<Map<String, Object>>> profile = profileLookup(org);
    if (profile.isEmpty()) {
      return new StatusReport(
          org.value(),
          dataset,
          SyncStatus.NOT_BOOTSTRAPPED,
          observed.isPresent(),
          null,
          version,
          ours);
    }
    if (profile.get().isEmpty()) {
      return new StatusReport(
          org.value(), dataset, SyncStatus.NOT_FOUND, observed.isPresent(), null, version, ours);
    }
    if (observed.isEmpty()) {
      return new StatusReport(
          org.value(), dataset, SyncStatus.PROFILE_ONLY, false, null, null, ours);
    }
    Plan plan = planOrg(org, RecordedDataset.of(profile.get().get(0)), observed);
    return new StatusReport(
        org.value(), dataset, plan.status(), true, PlanReport.of(plan), version, ours);
  }

  /** The catalog version a dataset was last synced to, or null. */
  private static String version(Optional<ObservedDataset> observed) {
    return observed.flatMap(o -> CatalogVersions.of(o.labels())).orElse(null);
  }
}
