package dev.orgprovisioner.plan;

import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.Partitioning;
import dev.orgprovisioner.catalog.TableDef;
import dev.orgprovisioner.catalog.ViewDef;
import dev.orgprovisioner.plan.PlanStep.AddColumns;
import dev.orgprovisioner.plan.PlanStep.ColumnAddition;
import dev.orgprovisioner.plan.PlanStep.CreateDataset;
import dev.orgprovisioner.plan.PlanStep.CreateOrReplaceView;
import dev.orgprovisioner.plan.PlanStep.CreateTable;
import dev.orgprovisioner.plan.PlanStep.RelaxColumns;
import dev.orgprovisioner.plan.PlanStep.UpdateTableOptions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compares what the catalog declares with what the warehouse holds and produces an additive-only
 * plan plus a drift report. Pure: no I/O.
 *
 * <p>Step order: create dataset, update dataset, create tables (catalog order), add columns (one
 * step per table), relax modes, update in-place options, create or replace views (catalog order).
 */
public final class Planner {

  private Planner() {}

  /**
   * Plans one dataset; {@code observed} is empty when the dataset does not exist. {@code views}
   * renders a view's template the way the warehouse creates it, so that a view whose SQL was edited
   * by hand is found even when its labels were left alone.
   */
  public static Plan plan(
      DesiredDataset desired, Optional<ObservedDataset> observed, ViewRenderer views) {
    List<Difference> diffs = new ArrayList<>();
    List<PlanStep> creates = new ArrayList<>();
    List<PlanStep> datasetUpdates = new ArrayList<>();
    List<PlanStep> additions = new ArrayList<>();
    List<PlanStep> relaxations = new ArrayList<>();
    List<PlanStep> updates = new ArrayList<>();
    List<PlanStep> viewSteps = new ArrayList<>();
    String ds = desired.name();

    if (observed.isEmpty()) {
      diffs.add(new Difference(DifferenceKind.DATASET_MISSING, null, null, ds, null));
      creates.add(
          new CreateDataset(
              ds,
              desired.location(),
              desired.catalog().description(),
              desired.datasetLabels(),
              desired.settings()));
      for (TableDef table : desired.catalog().tables()) {
        diffs.add(new Difference(DifferenceKind.TABLE_MISSING, table.name(), null, null, null));
        creates.add(new CreateTable(ds, table, desired.tableLabels(table)));
      }
      for (ViewDef view : desired.catalog().views()) {
        diffs.add(new Difference(DifferenceKind.VIEW_MISSING, view.name(), null, null, null));
        viewSteps.add(
            new CreateOrReplaceView(
                ds, desired.centralDataset(), view, desired.orgSlug(), desired.viewLabels(view)));
      }
      return new Plan(ds, concat(creates, viewSteps), diffs);
    }

    ObservedDataset obs = observed.get();
    DatasetComparison.compare(desired, obs, diffs, datasetUpdates);

    for (TableDef table : desired.catalog().tables()) {
      Optional<ObservedTable> ot = obs.table(table.name());
      if (ot.isEmpty()) {
        if (obs.view(table.name()).isPresent()) {
          diffs.add(
              new Difference(
                  DifferenceKind.OBJECT_KIND_CHANGED, table.name(), null, "TABLE", "VIEW"));
          continue;
        }
        diffs.add(new Difference(DifferenceKind.TABLE_MISSING, table.name(), null, null, null));
        creates.add(new CreateTable(ds, table, desired.tableLabels(table)));
        continue;
      }
      compareTable(desired, table, ot.get(), diffs, additions, relaxations, updates);
    }

    for (ViewDef view : desired.catalog().views()) {
      Optional<ObservedView> ov = obs.view(view.name());
      CreateOrReplaceView step =
          new CreateOrReplaceView(
              ds, desired.centralDataset(), view, desired.orgSlug(), desired.viewLabels(view));
      if (ov.isEmpty()) {
        if (obs.table(view.name()).isPresent()) {
          // Replacing a table with a view would drop data: report, never fix.
          diffs.add(
              new Difference(
                  DifferenceKind.OBJECT_KIND_CHANGED, view.name(), null, "VIEW", "TABLE"));
          continue;
        }
        diffs.add(new Difference(DifferenceKind.VIEW_MISSING, view.name(), null, null, null));
        viewSteps.add(step);
      } else {
        compareView(step, ov.get(), views, diffs, viewSteps);
      }
    }

    Set<String> declared =
        desired.catalog().tables().stream()
            .map(t -> t.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.toSet());
    desired.catalog().views().forEach(v -> declared.add(v.name().toLowerCase(Locale.ROOT)));
    obs.tables().values().stream()
        .filter(t -> !declared.contains(t.name().toLowerCase(Locale.ROOT)))
        .forEach(
            t -> diffs.add(new Difference(DifferenceKind.EXTRA_TABLE, t.name(), null, null, null)));
    obs.views().values().stream()
        .filter(v -> !declared.contains(v.name().toLowerCase(Locale.ROOT)))
        .forEach(
            v -> diffs.add(new Difference(DifferenceKind.EXTRA_VIEW, v.name(), null, null, null)));

    return new Plan(
        ds, concat(creates, datasetUpdates, additions, relaxations, updates, viewSteps), diffs);
  }

  /**
   * An outdated view (changed template, labels or description) or one whose SQL is not the rendered
   * template (edited by hand) is replaced; the SQL is compared only when the snapshot read it.
   */
  static void compareView(
      CreateOrReplaceView step,
      ObservedView obs,
      ViewRenderer views,
      List<Difference> diffs,
      List<PlanStep> viewSteps) {
    ViewDef view = step.view();
    String ours = step.labels().get(DesiredDataset.SCHEMA_VERSION);
    if (CatalogVersions.newerThan(obs.labels(), ours)) {
      diffs.add(newerVersion(view.name(), ours, obs.labels()));
      return;
    }
    if (!containsAll(obs.labels(), step.labels())
        || !sameText(view.description(), obs.description())) {
      diffs.add(
          new Difference(
              DifferenceKind.VIEW_OUTDATED,
              view.name(),
              null,
              step.labels().get(DesiredDataset.DEFINITION_HASH),
              obs.labels().get(DesiredDataset.DEFINITION_HASH)));
      viewSteps.add(step);
      return;
    }
    if (obs.sql() == null) {
      return;
    }
    String rendered = views.sql(step);
    if (!ViewSql.same(rendered, obs.sql())) {
      String[] where = ViewSql.firstDifference(rendered, obs.sql());
      diffs.add(
          new Difference(DifferenceKind.VIEW_SQL_CHANGED, view.name(), null, where[0], where[1]));
      viewSteps.add(step);
    }
  }

  private static void compareTable(
      DesiredDataset desired,
      TableDef table,
      ObservedTable obs,
      List<Difference> diffs,
      List<PlanStep> additions,
      List<PlanStep> relaxations,
      List<PlanStep> updates) {
    String name = table.name();
    List<ColumnAddition> toAdd = new ArrayList<>();
    List<String> toRelax = new ArrayList<>();
    Set<TableOption> options = EnumSet.noneOf(TableOption.class);
    compareColumns(name, "", table.columns(), obs.columns(), true, diffs, toAdd, toRelax, options);

    Partitioning want = table.partitioning();
    Partitioning have = obs.partitioning();
    if ((want == null) != (have == null) || (want != null && !want.sameLayoutAs(have))) {
      diffs.add(
          new Difference(
              DifferenceKind.PARTITIONING_CHANGED,
              name,
              null,
              Objects.toString(want),
              Objects.toString(have)));
    } else if (want != null) {
      if (!Objects.equals(want.expirationDays(), have.expirationDays())) {
        options.add(TableOption.PARTITION_EXPIRATION);
        diffs.add(
            tableOption(
                name, "partition expiration", want.expirationDays(), have.expirationDays()));
      }
      if (want.requirePartitionFilter() != have.requirePartitionFilter()) {
        options.add(TableOption.REQUIRE_PARTITION_FILTER);
        diffs.add(
            tableOption(
                name,
                "require partition filter",
                want.requirePartitionFilter(),
                have.requirePartitionFilter()));
      }
    }
    if (!sameNames(table.clustering(), obs.clustering())) {
      options.add(TableOption.CLUSTERING);
      diffs.add(tableOption(name, "clustering", table.clustering(), obs.clustering()));
    }
    Map<String, String> labels = desired.tableLabels(table);
    if (!containsAll(obs.labels(), labels)) {
      options.add(TableOption.LABELS);
      diffs.add(tableOption(name, "labels", labels, obs.labels()));
    }
    if (!sameText(table.description(), obs.description())) {
      options.add(TableOption.DESCRIPTION);
      diffs.add(tableOption(name, "description", table.description(), obs.description()));
    }

    String ours = desired.catalog().version();
    if (CatalogVersions.newerThan(obs.labels(), ours)) {
      // A newer catalog set this table's options and descriptions: ours would downgrade them.
      diffs.removeIf(
          d ->
              name.equals(d.object())
                  && (d.kind() == DifferenceKind.TABLE_OPTIONS_CHANGED
                      || d.kind() == DifferenceKind.COLUMN_DESCRIPTION_CHANGED));
      options.clear();
      diffs.add(newerVersion(name, ours, obs.labels()));
    }
    if (!toAdd.isEmpty()) {
      additions.add(new AddColumns(desired.name(), name, toAdd));
    }
    if (!toRelax.isEmpty()) {
      relaxations.add(new RelaxColumns(desired.name(), name, toRelax));
    }
    if (!options.isEmpty()) {
      updates.add(new UpdateTableOptions(desired.name(), table, labels, options));
    }
  }

  private static void compareColumns(
      String table,
      String parent,
      List<Column> wanted,
      List<Column> have,
      boolean topLevel,
      List<Difference> diffs,
      List<ColumnAddition> toAdd,
      List<String> toRelax,
      Set<TableOption> options) {
    for (Column want : wanted) {
      String path = parent.isEmpty() ? want.name() : parent + "." + want.name();
      Optional<Column> found = Column.find(have, want.name());
      if (found.isEmpty()) {
        if (want.mode() == FieldMode.REQUIRED) {
          // Existing rows would have no value: BigQuery refuses, and so do we.
          diffs.add(
              new Difference(DifferenceKind.NEW_REQUIRED_COLUMN, table, path, "REQUIRED", null));
        } else {
          diffs.add(
              new Difference(DifferenceKind.COLUMN_MISSING, table, path, typeText(want), null));
          toAdd.add(new ColumnAddition(parent, want));
        }
        continue;
      }
      Column got = found.get();
      if (want.type() != got.type()) {
        diffs.add(
            new Difference(
                DifferenceKind.COLUMN_TYPE_CHANGED, table, path, typeText(want), typeText(got)));
        continue;
      }
      compareModes(table, path, want, got, diffs, toRelax);
      if (!sameText(want.description(), got.description())) {
        options.add(TableOption.COLUMN_DESCRIPTIONS);
        diffs.add(
            new Difference(
                DifferenceKind.COLUMN_DESCRIPTION_CHANGED,
                table,
                path,
                want.description(),
                got.description()));
      }
      if (!want.fields().isEmpty() || !got.fields().isEmpty()) {
        compareColumns(
            table, path, want.fields(), got.fields(), false, diffs, toAdd, toRelax, options);
      }
    }
    for (Column got : have) {
      if (Column.find(wanted, got.name()).isEmpty()) {
        String path = parent.isEmpty() ? got.name() : parent + "." + got.name();
        diffs.add(new Difference(DifferenceKind.EXTRA_COLUMN, table, path, null, typeText(got)));
      }
    }
  }

  private static void compareModes(
      String table,
      String path,
      Column want,
      Column got,
      List<Difference> diffs,
      List<String> toRelax) {
    FieldMode w = want.mode();
    FieldMode g = got.mode();
    if (w == g) {
      return;
    }
    if (w == FieldMode.REPEATED || g == FieldMode.REPEATED) {
      diffs.add(
          new Difference(DifferenceKind.COLUMN_REPEATED_CHANGED, table, path, w.name(), g.name()));
    } else if (w == FieldMode.NULLABLE) {
      diffs.add(
          new Difference(DifferenceKind.COLUMN_MODE_RELAXABLE, table, path, w.name(), g.name()));
      toRelax.add(path);
    } else {
      diffs.add(
          new Difference(DifferenceKind.COLUMN_MODE_TIGHTENED, table, path, w.name(), g.name()));
    }
  }

  /** The object (null: the dataset) carries a newer catalog version than {@code ours}. */
  static Difference newerVersion(String object, String ours, Map<String, String> labels) {
    return new Difference(
        DifferenceKind.NEWER_VERSION,
        object,
        DesiredDataset.SCHEMA_VERSION,
        ours,
        CatalogVersions.of(labels).orElse(null));
  }

  private static Difference tableOption(String table, String what, Object want, Object have) {
    return new Difference(
        DifferenceKind.TABLE_OPTIONS_CHANGED,
        table,
        what,
        Objects.toString(want),
        Objects.toString(have));
  }

  static String typeText(Column c) {
    String base =
        c.fields().isEmpty()
            ? String.valueOf(c.type())
            : c.type()
                + "<"
                + c.fields().stream()
                    .map(f -> f.name() + " " + typeText(f))
                    .collect(Collectors.joining(", "))
                + ">";
    return c.mode() == FieldMode.REPEATED ? "ARRAY<" + base + ">" : base;
  }

  static boolean sameText(String a, String b) {
    return Objects.equals(blankToNull(a), blankToNull(b));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static boolean sameNames(List<String> a, List<String> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).equalsIgnoreCase(b.get(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean containsAll(Map<String, String> have, Map<String, String> want) {
    return want.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())));
  }

  @SafeVarargs
  private static List<PlanStep> concat(List<PlanStep>... parts) {
    List<PlanStep> all = new ArrayList<>();
    for (List<PlanStep> part : parts) {
      all.addAll(part);
    }
    return all;
  }
}
