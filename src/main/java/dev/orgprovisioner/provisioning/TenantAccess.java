package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.Difference;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.plan.TenantShards;
import dev.orgprovisioner.plan.TenantViews;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Brings an org's tenant views in line (docs/tenant-access.md): its views in its shard, its views
 * dataset, the shard authorized on the central dataset and the views dataset on the shard, and the
 * org's principals as READERs of the views dataset. Nothing at all when tenant views are off.
 */
final class TenantAccess {

  /** What a convergence did, for the job's event. */
  public record Outcome(
      String viewsDataset,
      String shardDataset,
      List<String> stepsApplied,
      List<String> authorized,
      List<String> readersGranted,
      List<String> readersRevoked) {

    /** The event's {@code tenant_views} object. */
    public Map<String, Object> eventData() {
      Map<String, Object> data = new java.util.LinkedHashMap<>();
      data.put("views_dataset", viewsDataset);
      data.put("shard_dataset", shardDataset);
      data.put("steps_applied", stepsApplied.size());
      data.put("authorized", authorized);
      data.put("readers_granted", readersGranted);
      data.put("readers_revoked", readersRevoked);
      return data;
    }
  }

  /** What a check found: differences of the views and authorizations, readers missing. */
  public record Check(List<Difference> differences, List<String> missingReaders) {
    public boolean inSync() {
      return differences.isEmpty() && missingReaders.isEmpty();
    }

    /**
     * One line per finding, for the drift event: {@code DATASET_MISSING <dataset>}, {@code
     * AUTHORIZATION_MISSING <dataset> <authorized>}, {@code VIEW_… <view>}, {@code READER_MISSING
     * <principal>} (never a view's SQL).
     */
    public List<String> describe() {
      List<String> out = new ArrayList<>();
      for (Difference d : differences) {
        out.add(
            switch (d.kind()) {
              case DATASET_MISSING -> d.kind() + " " + d.expected();
              case AUTHORIZATION_MISSING -> d.kind() + " " + d.object() + " " + d.expected();
              default -> d.kind() + " " + d.object();
            });
      }
      missingReaders.forEach(r -> out.add("READER_MISSING " + r));
      return out;
    }
  }

  private final ProvisioningService service;

  TenantAccess(ProvisioningService service) {
    this.service = service;
  }

  /** Whether tenant views are built at all. */
  public boolean enabled() {
    return service.settings().tenantViews().enabled();
  }

  /** The org's layout: shard, views dataset. */
  public TenantViews.Layout layout(OrgSlug org) {
    TenantShards shards =
        new TenantShards(service.centralDataset(), service.settings().tenantViews().shardCount());
    return TenantViews.layout(shards, org.value(), service.settings().orgDataset(org));
  }

  /**
   * Creates what is missing, re-applies the org's shard views, authorizes what is not, and makes
   * the views dataset's readers {@code grants} (as READER), revoking {@code revoked} ones no longer
   * among them. Empty when tenant views are off.
   */
  public Optional<Outcome> converge(
      OrgSlug org, Collection<AccessEntry> grants, Collection<AccessEntry> revoked, StepLog steps) {
    if (!enabled()) {
      return Optional.empty();
    }
    Warehouse warehouse = service.warehouse();
    TenantViews.Layout layout = layout(org);
    Optional<List<String>> onShard = authorizedOn(layout.shardDataset());
    TenantViews.Result plan =
        TenantViews.plan(
            layout,
            service.settings().defaultLocation(),
            service.catalog().org(),
            onShard.isPresent(),
            warehouse.freshSnapshot(layout.viewsDataset()),
            warehouse::viewSql);
    List<String> applied = new ArrayList<>();
    for (PlanStep step : plan.all()) {
      steps.checkLease();
      warehouse.apply(step);
      applied.add(step.describe());
    }
    Map<String, List<String>> authorized = new HashMap<>();
    authorized.put(layout.centralDataset(), warehouse.authorizedDatasets(layout.centralDataset()));
    authorized.put(layout.shardDataset(), onShard.orElse(List.of()));
    List<String> done = new ArrayList<>();
    for (TenantViews.Authorization a : TenantViews.missing(layout, authorized)) {
      steps.checkLease();
      warehouse.changeAuthorizedDatasets(a.dataset(), List.of(a.authorized()), List.of());
      done.add(a.authorized() + " on " + a.dataset());
    }
    List<AccessEntry> readers = TenantViews.readers(List.copyOf(grants));
    Set<AccessEntry> present = Set.copyOf(warehouse.accessEntries(layout.viewsDataset()));
    List<AccessEntry> grant = readers.stream().filter(e -> !present.contains(e)).toList();
    List<AccessEntry> revoke =
        TenantViews.readers(List.copyOf(revoked)).stream()
            .filter(e -> !readers.contains(e) && present.contains(e))
            .toList();
    if (!grant.isEmpty() || !revoke.isEmpty()) {
      steps.checkLease();
      warehouse.changeAccess(layout.viewsDataset(), grant, revoke);
    }
    return Optional.of(
        new Outcome(
            layout.viewsDataset(),
            layout.shardDataset(),
            applied,
            done,
            grant.stream().map(AccessEntry::principal).toList(),
            revoke.stream().map(AccessEntry::principal).toList()));
  }

  /**
   * Removes ({@code on} false) or gives back the org's readers on its views dataset (offboarding,
   * restore); nothing when tenant views are off or the views dataset is gone.
   */
  public List<String> switchReaders(
      OrgSlug org, Collection<AccessEntry> grants, boolean on, StepLog steps) {
    if (!enabled() || grants.isEmpty()) {
      return List.of();
    }
    String views = layout(org).viewsDataset();
    List<AccessEntry> readers = TenantViews.readers(List.copyOf(grants));
    try {
      steps.checkLease();
      service.warehouse().changeAccess(views, on ? readers : List.of(), on ? List.of() : readers);
    } catch (WarehouseException e) {
      if (e.kind() == WarehouseException.Kind.NOT_FOUND) {
        return List.of();
      }
      throw e;
    }
    return readers.stream().map(AccessEntry::principal).toList();
  }

  /**
   * At the offboarding deadline: the views dataset is no longer authorized on the shard and is
   * deleted (only when it carries our label); the org's views in the shard stay, readable through
   * nothing. A restore converges everything again. Answers the datasets deleted (none when tenant
   * views are off).
   */
  public List<String> retire(OrgSlug org, StepLog steps) {
    if (!enabled()) {
      return List.of();
    }
    Warehouse warehouse = service.warehouse();
    TenantViews.Layout layout = layout(org);
    List<String> done = new ArrayList<>();
    if (authorizedOn(layout.shardDataset()).orElse(List.of()).contains(layout.viewsDataset())) {
      steps.checkLease();
      warehouse.changeAuthorizedDatasets(
          layout.shardDataset(), List.of(), List.of(layout.viewsDataset()));
    }
    var views = warehouse.freshSnapshot(layout.viewsDataset());
    if (views.isPresent()
        && DesiredDataset.MANAGED_BY_VALUE.equals(
            views.get().labels().get(DesiredDataset.MANAGED_BY))) {
      steps.checkLease();
      warehouse.deleteDataset(layout.viewsDataset());
      done.add(layout.viewsDataset());
    }
    return done;
  }

  /**
   * Compares without changing anything: missing datasets, views dataset views and authorizations,
   * and recorded principals missing as readers. The shard views are not compared (see {@link
   * TenantViews#plan}).
   *
   * @param authorizedLists the access lists of central and shard datasets read so far (dataset ->
   *     its authorized datasets, empty when it does not exist), shared by the checks of one drift
   *     run so that each list is read once, not once per org
   */
  public Check check(
      OrgSlug org,
      Collection<AccessEntry> grants,
      Map<String, Optional<List<String>>> authorizedLists) {
    if (!enabled()) {
      return new Check(List.of(), List.of());
    }
    Warehouse warehouse = service.warehouse();
    TenantViews.Layout layout = layout(org);
    Optional<List<String>> onShard =
        authorizedLists.computeIfAbsent(layout.shardDataset(), this::authorizedOn);
    var views = warehouse.freshSnapshot(layout.viewsDataset());
    TenantViews.Result plan =
        TenantViews.plan(
            layout,
            service.settings().defaultLocation(),
            service.catalog().org(),
            onShard.isPresent(),
            views,
            warehouse::viewSql);
    List<Difference> diffs = new ArrayList<>(plan.differences());
    Map<String, List<String>> authorized = new HashMap<>();
    authorized.put(
        layout.centralDataset(),
        authorizedLists
            .computeIfAbsent(layout.centralDataset(), this::authorizedOn)
            .orElse(List.of()));
    authorized.put(layout.shardDataset(), onShard.orElse(List.of()));
    diffs.addAll(TenantViews.differences(TenantViews.missing(layout, authorized)));
    List<String> missingReaders = new ArrayList<>();
    if (views.isPresent()) {
      Set<AccessEntry> present = Set.copyOf(warehouse.accessEntries(layout.viewsDataset()));
      TenantViews.readers(List.copyOf(grants)).stream()
          .filter(e -> !present.contains(e))
          .map(AccessEntry::principal)
          .forEach(missingReaders::add);
    }
    return new Check(diffs, missingReaders);
  }

  /** The datasets authorized on {@code dataset}, or empty when it does not exist. */
  private Optional<List<String>> authorizedOn(String dataset) {
    try {
      return Optional.of(service.warehouse().authorizedDatasets(dataset));
    } catch (WarehouseException e) {
      if (e.kind() == WarehouseException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
