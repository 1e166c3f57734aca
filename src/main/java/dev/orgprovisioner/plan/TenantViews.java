package dev.orgprovisioner.plan;

import dev.orgprovisioner.catalog.ScopeCatalog;
import dev.orgprovisioner.catalog.ViewDef;
import dev.orgprovisioner.plan.PlanStep.CreateDataset;
import dev.orgprovisioner.plan.PlanStep.CreateOrReplaceView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plans the views an org's principals can read without reading other orgs (docs/tenant-access.md,
 * option B). Pure: no I/O.
 *
 * <p>Each catalog view of the org is rendered, filtered to the org, into its shard dataset as
 * {@code {org}__{view}}; the org's views dataset holds a view of the catalog's name over each of
 * them. The shard is authorized on the central dataset, the views dataset on the shard, and the
 * org's principals get READER on the views dataset only: they can query its views but create none,
 * and reach neither the shard nor the central dataset directly.
 */
public final class TenantViews {

  /** Separates the org from the view in a shard view's name: {@code acme__x_org_hierarchy}. */
  public static final String SEPARATOR = "__";

  /** Suffix of an org's views dataset: {@code {org dataset}_views}. */
  public static final String VIEWS_SUFFIX = "_views";

  /** Label marking a shard dataset, with its number. */
  public static final String SHARD_LABEL = "tenant-shard";

  /** Where one org's tenant views live. */
  public record Layout(
      String org, String centralDataset, String shardDataset, String viewsDataset) {

    /** The access-list entries the layout needs: the shard on central, the views on the shard. */
    public List<Authorization> authorizations() {
      return List.of(
          new Authorization(centralDataset, shardDataset),
          new Authorization(shardDataset, viewsDataset));
    }
  }

  /** {@code authorized} is an authorized dataset of {@code dataset}: its views may read it. */
  public record Authorization(String dataset, String authorized) {}

  /**
   * What an org's tenant views need.
   *
   * @param steps the datasets and views dataset views the differences call for, in order
   * @param shardViews the org's views in its shard, replaced at every application (not compared)
   */
  public record Result(
      Layout layout,
      List<PlanStep> steps,
      List<CreateOrReplaceView> shardViews,
      List<Difference> differences) {
    public Result {
      steps = List.copyOf(steps);
      shardViews = List.copyOf(shardViews);
      differences = List.copyOf(differences);
    }

    /** Every step in the order to apply them: datasets, shard views, then the views over them. */
    public List<PlanStep> all() {
      List<PlanStep> out = new ArrayList<>();
      steps.stream().filter(s -> s instanceof CreateDataset).forEach(out::add);
      out.addAll(shardViews);
      steps.stream().filter(s -> !(s instanceof CreateDataset)).forEach(out::add);
      return out;
    }
  }

  private TenantViews() {}

  /** The layout of an org whose data dataset is {@code orgDataset}. */
  public static Layout layout(TenantShards shards, String orgSlug, String orgDataset) {
    return new Layout(
        orgSlug, shards.centralDataset(), shards.shardDatasetOf(orgSlug), viewsDataset(orgDataset));
  }

  /** The views dataset of an org's data dataset. */
  public static String viewsDataset(String orgDataset) {
    return orgDataset + VIEWS_SUFFIX;
  }

  /** The name of the org's copy of a catalog view in its shard. */
  public static String shardView(String orgSlug, String view) {
    return orgSlug + SEPARATOR + view;
  }

  /**
   * Plans the shard views and the views dataset of one org.
   *
   * <p>The org's views in its shard are always (re)created, never compared: a shard holds the views
   * of up to 2,500 orgs, and reading it whole (BigQuery: one tables.get per view) to compare four
   * of them would cost thousands of calls. Replacing a view is idempotent.
   *
   * @param location where the central dataset is: views read only datasets of their location
   * @param shardExists whether the shard dataset exists now
   * @param views the org's views dataset now, empty when it does not exist
   */
  public static Result plan(
      Layout layout,
      String location,
      ScopeCatalog orgCatalog,
      boolean shardExists,
      Optional<ObservedDataset> views,
      ViewRenderer renderer) {
    List<PlanStep> steps = new ArrayList<>();
    List<CreateOrReplaceView> shardViews = new ArrayList<>();
    List<Difference> diffs = new ArrayList<>();
    Map<String, String> ownership = ownership(orgCatalog);
    if (!shardExists) {
      Map<String, String> labels = new LinkedHashMap<>(ownership);
      labels.put(SHARD_LABEL, shardNumber(layout.shardDataset()));
      diffs.add(
          new Difference(DifferenceKind.DATASET_MISSING, null, null, layout.shardDataset(), null));
      steps.add(
          new CreateDataset(
              layout.shardDataset(),
              location,
              "Views of the central dataset, each filtered to one organisation; authorized on "
                  + layout.centralDataset()
                  + ". Nobody but the worker reads it directly.",
              labels));
    }
    if (views.isEmpty()) {
      Map<String, String> labels = new LinkedHashMap<>(ownership);
      labels.put(DesiredDataset.ORG, layout.org());
      diffs.add(
          new Difference(DifferenceKind.DATASET_MISSING, null, null, layout.viewsDataset(), null));
      steps.add(
          new CreateDataset(
              layout.viewsDataset(),
              location,
              "The organisation's views of its rows of the central dataset; its principals read"
                  + " them here (reader grants only).",
              labels));
    }
    for (ViewDef view : orgCatalog.views()) {
      ViewDef filtered =
          new ViewDef(
              shardView(layout.org(), view.name()),
              view.description(),
              view.template(),
              view.overrides());
      shardViews.add(
          new CreateOrReplaceView(
              layout.shardDataset(),
              layout.centralDataset(),
              filtered,
              layout.org(),
              viewLabels(ownership, filtered)));
    }
    for (ViewDef view : orgCatalog.views()) {
      // The shard is this view's "central" dataset: {{ref:central.x}} names shard.x.
      ViewDef passThrough =
          new ViewDef(
              view.name(),
              view.description(),
              "SELECT * FROM {{ref:central." + shardView(layout.org(), view.name()) + "}}",
              Map.of());
      compare(
          new CreateOrReplaceView(
              layout.viewsDataset(),
              layout.shardDataset(),
              passThrough,
              layout.org(),
              viewLabels(ownership, passThrough)),
          views,
          renderer,
          diffs,
          steps);
    }
    return new Result(layout, steps, shardViews, diffs);
  }

  /**
   * The layout's authorizations missing from the access lists read ({@code authorized}: dataset ->
   * the datasets authorized on it; a dataset absent from the map has none).
   */
  public static List<Authorization> missing(Layout layout, Map<String, List<String>> authorized) {
    return layout.authorizations().stream()
        .filter(a -> !authorized.getOrDefault(a.dataset(), List.of()).contains(a.authorized()))
        .toList();
  }

  /** An AUTHORIZATION_MISSING difference for each missing authorization. */
  public static List<Difference> differences(List<Authorization> missing) {
    return missing.stream()
        .map(
            a ->
                new Difference(
                    DifferenceKind.AUTHORIZATION_MISSING, a.dataset(), null, a.authorized(), null))
        .toList();
  }

  /**
   * What the org's principals get on its views dataset: READER, whatever their role on the data
   * dataset (a writer there must not be able to create views here).
   */
  public static List<AccessEntry> readers(List<AccessEntry> grants) {
    Set<AccessEntry> out = new java.util.LinkedHashSet<>();
    grants.forEach(g -> out.add(new AccessEntry(g.kind(), g.email(), AccessEntry.Role.READER)));
    return List.copyOf(out);
  }

  private static void compare(
      CreateOrReplaceView step,
      Optional<ObservedDataset> observed,
      ViewRenderer renderer,
      List<Difference> diffs,
      List<PlanStep> steps) {
    Optional<ObservedView> view = observed.flatMap(d -> d.view(step.view().name()));
    if (view.isEmpty()) {
      diffs.add(
          new Difference(
              DifferenceKind.VIEW_MISSING,
              step.dataset() + "." + step.view().name(),
              null,
              null,
              null));
      steps.add(step);
    } else {
      Planner.compareView(step, view.get(), renderer, diffs, steps);
    }
  }

  private static Map<String, String> ownership(ScopeCatalog catalog) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(DesiredDataset.MANAGED_BY, DesiredDataset.MANAGED_BY_VALUE);
    labels.put(DesiredDataset.SCHEMA_VERSION, catalog.version());
    return labels;
  }

  private static Map<String, String> viewLabels(Map<String, String> ownership, ViewDef view) {
    Map<String, String> labels = new LinkedHashMap<>(ownership);
    labels.put(DesiredDataset.DEFINITION_HASH, view.definitionHash());
    return labels;
  }

  private static String shardNumber(String shardDataset) {
    return shardDataset.substring(shardDataset.lastIndexOf('_') + 1);
  }
}
