package dev.orgprovisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.FieldType;
import dev.orgprovisioner.catalog.PartitionType;
import dev.orgprovisioner.catalog.Partitioning;
import dev.orgprovisioner.catalog.TableDef;
import dev.orgprovisioner.catalog.ViewDef;
import dev.orgprovisioner.plan.PlanStep.AddColumns;
import dev.orgprovisioner.plan.PlanStep.ColumnAddition;
import dev.orgprovisioner.plan.PlanStep.CreateDataset;
import dev.orgprovisioner.plan.PlanStep.CreateOrReplaceView;
import dev.orgprovisioner.plan.PlanStep.CreateTable;
import dev.orgprovisioner.plan.PlanStep.RelaxColumns;
import dev.orgprovisioner.plan.PlanStep.UpdateDataset;
import dev.orgprovisioner.plan.PlanStep.UpdateTableOptions;
import dev.orgprovisioner.testing.CatalogFixtures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PlannerTest {

  /** Renders a view as its bare template: these observed views carry no SQL to compare. */
  private static final ViewRenderer TEMPLATE = v -> v.view().template();

  private final Catalog catalog = CatalogFixtures.minimal();
  private final DesiredDataset desired =
      new DesiredDataset("acme_local", "EU", catalog.org(), "organizations", "acme");

  /** What the warehouse reports after the catalog was applied perfectly. */
  private ObservedDataset inSync() {
    Map<String, ObservedTable> tables = new LinkedHashMap<>();
    for (TableDef t : desired.catalog().tables()) {
      tables.put(
          t.name(),
          new ObservedTable(
              t.name(),
              t.description(),
              t.columns(),
              t.partitioning(),
              t.clustering(),
              desired.tableLabels(t)));
    }
    Map<String, ObservedView> views = new LinkedHashMap<>();
    for (ViewDef v : desired.catalog().views()) {
      views.put(v.name(), new ObservedView(v.name(), v.description(), desired.viewLabels(v)));
    }
    return new ObservedDataset(
        desired.name(),
        desired.catalog().description(),
        "EU",
        desired.datasetLabels(),
        tables,
        views);
  }

  private ObservedDataset withTable(String name, UnaryOperator<ObservedTable> change) {
    ObservedDataset obs = inSync();
    Map<String, ObservedTable> tables = new LinkedHashMap<>(obs.tables());
    tables.put(name, change.apply(obs.table(name).orElseThrow()));
    return new ObservedDataset(
        obs.name(), obs.description(), obs.location(), obs.labels(), tables, obs.views());
  }

  private static ObservedTable columns(ObservedTable t, UnaryOperator<List<Column>> change) {
    return new ObservedTable(
        t.name(),
        t.description(),
        change.apply(new ArrayList<>(t.columns())),
        t.partitioning(),
        t.clustering(),
        t.labels());
  }

  private static List<Column> replace(List<Column> cols, String name, UnaryOperator<Column> c) {
    return cols.stream().map(col -> col.name().equals(name) ? c.apply(col) : col).toList();
  }

  private static List<Column> without(List<Column> cols, String name) {
    return cols.stream().filter(col -> !col.name().equals(name)).toList();
  }

  private Plan plan(ObservedDataset obs) {
    return Planner.plan(desired, Optional.of(obs), TEMPLATE);
  }

  @Test
  void datasetInSync_isSyncedWithNoSteps() {
    Plan plan = plan(inSync());

    assertThat(plan.steps()).isEmpty();
    assertThat(plan.differences()).isEmpty();
    assertThat(plan.status()).isEqualTo(SyncStatus.SYNCED);
  }

  @Test
  void missingDataset_createsDatasetThenTablesInCatalogOrderThenViews() {
    Plan plan = Planner.plan(desired, Optional.empty(), TEMPLATE);

    assertThat(plan.steps())
        .extracting(s -> s.getClass().getSimpleName())
        .containsExactly("CreateDataset", "CreateTable", "CreateTable", "CreateOrReplaceView");
    assertThat(plan.steps().get(1))
        .isInstanceOfSatisfying(
            CreateTable.class, s -> assertThat(s.table().name()).isEqualTo("usage_daily"));
    CreateDataset create = (CreateDataset) plan.steps().get(0);
    assertThat(create.labels())
        .containsEntry("managed-by", "org-provisioner")
        .containsEntry("schema-version", "1")
        .containsEntry("org", "acme");
    assertThat(create.location()).isEqualTo("EU");
    assertThat(plan.differences())
        .extracting(Difference::kind)
        .contains(DifferenceKind.DATASET_MISSING);
  }

  @Test
  void missingTable_isCreatedWithItsPartitioningAndClustering() {
    ObservedDataset obs = inSync();
    Map<String, ObservedTable> tables = new LinkedHashMap<>(obs.tables());
    tables.remove("usage_daily");
    Plan plan =
        plan(
            new ObservedDataset(
                obs.name(), obs.description(), "EU", obs.labels(), tables, obs.views()));

    assertThat(plan.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            CreateTable.class,
            s -> {
              assertThat(s.table().partitioning().field()).isEqualTo("usage_date");
              assertThat(s.table().clustering()).containsExactly("provider");
              assertThat(s.labels()).containsEntry("managed-by", "org-provisioner");
            });
    assertThat(plan.differences())
        .extracting(Difference::kind)
        .containsExactly(DifferenceKind.TABLE_MISSING);
    assertThat(plan.status()).isEqualTo(SyncStatus.OUT_OF_SYNC);
  }

  @Test
  void missingNullableColumns_areAddedInOneStepPerTable() {
    Plan plan =
        plan(withTable("usage_daily", t -> columns(t, c -> without(without(c, "amount"), "tags"))));

    assertThat(plan.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            AddColumns.class,
            s -> {
              assertThat(s.table()).isEqualTo("usage_daily");
              assertThat(s.additions())
                  .extracting(ColumnAddition::path)
                  .containsExactly("amount", "tags");
              assertThat(s.additions().get(1).column().mode()).isEqualTo(FieldMode.REPEATED);
            });
    assertThat(plan.differences(Classification.ADDITIVE)).hasSize(2);
  }

  @Test
  void missingNestedField_isAddedInsideItsRecord() {
    Plan plan =
        plan(
            withTable(
                "invoices",
                t ->
                    columns(
                        t,
                        c ->
                            replace(
                                c,
                                "billing",
                                b -> b.withFields(without(b.fields(), "location"))))));

    assertThat(plan.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            AddColumns.class,
            s ->
                assertThat(s.additions())
                    .singleElement()
                    .satisfies(
                        a -> {
                          assertThat(a.parentPath()).isEqualTo("billing");
                          assertThat(a.path()).isEqualTo("billing.location");
                          assertThat(a.column().type()).isEqualTo(FieldType.GEOGRAPHY);
                        }));
  }

  @Test
  void missingFieldInRepeatedRecord_isAdditive() {
    Plan plan =
        plan(
            withTable(
                "invoices",
                t ->
                    columns(
                        t,
                        c -> replace(c, "lines", l -> l.withFields(without(l.fields(), "cost"))))));

    assertThat(plan.differences())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.kind()).isEqualTo(DifferenceKind.COLUMN_MISSING);
              assertThat(d.path()).isEqualTo("lines.cost");
            });
  }

  @Test
  void newRequiredColumnOnExistingTable_isNonAdditiveAndNotPlanned() {
    Plan plan = plan(withTable("usage_daily", t -> columns(t, c -> without(c, "provider"))));

    assertThat(plan.steps()).isEmpty();
    assertThat(plan.differences())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.kind()).isEqualTo(DifferenceKind.NEW_REQUIRED_COLUMN);
              assertThat(d.classification()).isEqualTo(Classification.NON_ADDITIVE);
            });
    assertThat(plan.status()).isEqualTo(SyncStatus.OUT_OF_SYNC);
  }

  @Test
  void newRequiredNestedField_isNonAdditive() {
    Plan plan =
        plan(
            withTable(
                "invoices",
                t ->
                    columns(
                        t,
                        c -> replace(c, "lines", l -> l.withFields(without(l.fields(), "sku"))))));

    assertThat(plan.steps()).isEmpty();
    assertThat(plan.differences())
        .extracting(Difference::kind, Difference::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(DifferenceKind.NEW_REQUIRED_COLUMN, "lines.sku"));
  }

  @Test
  void typeChangedByHand_isNonAdditiveAndNeverFixed() {
    Plan plan =
        plan(
            withTable(
                "usage_daily",
                t ->
                    columns(
                        t,
                        c ->
                            replace(
                                c,
                                "amount",
                                a ->
                                    new Column(
                                        a.name(),
                                        FieldType.STRING,
                                        a.mode(),
                                        a.description(),
                                        List.of())))));

    assertThat(plan.steps()).isEmpty();
    assertThat(plan.differences())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.kind()).isEqualTo(DifferenceKind.COLUMN_TYPE_CHANGED);
              assertThat(d.expected()).isEqualTo("NUMERIC");
              assertThat(d.observed()).isEqualTo("STRING");
            });
  }

  @Test
  void nestedTypeChange_isNonAdditive() {
    Plan plan =
        plan(
            withTable(
                "invoices",
                t ->
                    columns(
                        t,
                        c ->
                            replace(
                                c,
                                "lines",
                                l ->
                                    l.withFields(
                                        replace(
                                            l.fields(),
                                            "cost",
                                            f ->
                                                new Column(
                                                    "cost",
                                                    FieldType.INT64,
                                                    f.mode(),
                                                    f.description(),
                                                    List.of())))))));

    assertThat(plan.differences())
        .extracting(Difference::kind, Difference::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(DifferenceKind.COLUMN_TYPE_CHANGED, "lines.cost"));
    assertThat(plan.steps()).isEmpty();
  }

  @Test
  void recordReplacedByScalar_isATypeChange() {
    Plan plan =
        plan(
            withTable(
                "invoices",
                t ->
                    columns(
                        t,
                        c ->
                            replace(
                                c,
                                "billing",
                                b ->
                                    new Column(
                                        "billing",
                                        FieldType.STRING,
                                        FieldMode.NULLABLE,
                                        b.description(),
                                        List.of())))));

    assertThat(plan.differences())
        .extracting(Difference::kind)
        .containsExactly(DifferenceKind.COLUMN_TYPE_CHANGED);
  }

  @Test
  void requiredInWarehouseButNullableInCatalog_isRelaxed() {
    Plan plan =
        plan(
            withTable(
                "usage_daily",
                t -> columns(t, c -> replace(c, "amount", a -> a.withMode(FieldMode.REQUIRED)))));

    assertThat(plan.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            RelaxColumns.class, s -> assertThat(s.paths()).containsExactly("amount"));
    assertThat(plan.differences())
        .extracting(Difference::kind)
        .containsExactly(DifferenceKind.COLUMN_MODE_RELAXABLE);
  }

  @Test
  void nestedRequiredFieldRelaxedInCatalog_isRelaxedByPath() {
    Plan plan =
        plan(
            withTable(
                "invoices",
                t ->
                    columns(
                        t,
                        c ->
                            replace(
                                c,
                                "billing",
                                b ->
                                    b.withFields(
                                        replace(
                                            b.fields(),
                                            "email",
                                            e -> e.withMode(FieldMode.REQUIRED)))))));

    assertThat(plan.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            RelaxColumns.class, s -> assertThat(s.paths()).containsExactly("billing.email"));
  }

  @Test
  void nullableInWarehouseButRequiredInCatalog_isATighteningAndNonAdditive() {
    Plan plan =
        plan(
            withTable(
                "usage_daily",
                t -> columns(t, c -> replace(c, "provider", a -> a.withMode(FieldMode.NULLABLE)))));

    assertThat(plan.steps()).isEmpty();
    assertThat(plan.differences())
        .extracting(Difference::kind)
        .containsExactly(DifferenceKind.COLUMN_MODE_TIGHTENED);
  }

  @Test
  void repeatedBecomingScalar_isNonAdditive() {
    Plan plan =
        plan(
            withTable(
                "usage_daily",
                t -> columns(t, c -> replace(c, "tags", a -> a.withMode(FieldMode.NULLABLE)))));

    assertThat(plan.steps()).isEmpty();
    assertThat(plan.differences())
        .extracting(Difference::kind)
        .containsExactly(DifferenceKind.COLUMN_REPEATED_CHANGED);
  }

  @Test
  void scalarBecomingRepeatedRecord_isNonAdditive() {
    Plan plan =
        plan(
            withTable(
                "invoices",
                t -> columns(t, c -> replace(c, "billing", b -> b.withMode(FieldMode.REPEATED)))));

    assertThat(plan.differences())
        .extracting(Difference::kind)
        .containsExactly(DifferenceKind.COLUMN_REPEATED_CHANGED);
  }

  @Test
  void partitioningChanged_isNonAdditive() {
    Plan plan =
        plan(
            withTable(
                "usage_daily",
                t ->
                    new ObservedTable(
                        t.name(),
                        t.description(),
                        t.columns(),
                        new Partitioning(PartitionType.MONTH, "usage_date", 400L, false),
                        t.clustering(),
                        t.labels())));

    assertThat(plan.steps()).isEmpty();
    assertThat(plan.differences())
        .extracting(Difference::kind)
        .containsExactly(DifferenceKind.PARTITIONING_CHANGED);
  }

  @Test
  void missingPartitioning_isNonAdditive() {
    Plan plan =
        plan(
            withTable(
                "usage_daily",
                t ->
                    new ObservedTable(
                        t.name(), t.description(), t.columns(), null, t.clustering(), t.labels())));

    assertThat(plan.differences())
        .extracting(Difference::kind)
        .containsExactly(DifferenceKind.PARTITIONING_CHANGED);
    assertThat(plan.steps()).isEmpty();
  }

  @Test
  void partitionExpirationChanged_isUpdatedInPlace() {
    Plan plan =
        plan(
            withTable(
                "usage_daily",
                t ->
                    new ObservedTable(
                        t.name(),
                        t.description(),
                        t.columns(),
                        new Partitioning(PartitionType.DAY, "usage_date", 30L, true),
                        t.clustering(),
                        t.labels())));

    assertThat(plan.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            UpdateTableOptions.class,
            s ->
                assertThat(s.changes())
                    .containsExactlyInAnyOrder(
                        TableOption.PARTITION_EXPIRATION, TableOption.REQUIRE_PARTITION_FILTER));
  }

  @Test
  void clusteringLabelsAndDescriptionsChanged_areUpdatedInOneStep() {
    Plan plan =
        plan(
            withTable(
                "usage_daily",
                t ->
                    new ObservedTable(
                        t.name(),
                        "old text",
                        replace(t.columns(), "amount", a -> a.withDescription("stale")),
                        t.partitioning(),
                        List.of("usage_date"),
                        Map.of("managed-by", "org-provisioner", "schema-version", "0"))));

    assertThat(plan.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            UpdateTableOptions.class,
            s ->
                assertThat(s.changes())
                    .containsExactlyInAnyOrder(
                        TableOption.DESCRIPTION,
                        TableOption.CLUSTERING,
                        TableOption.LABELS,
                        TableOption.COLUMN_DESCRIPTIONS));
    assertThat(plan.differences()).allMatch(d -> d.classification() == Classification.ADDITIVE);
  }

  @Test
  void extraColumnsTablesAndViews_areInformationalOnly() {
    ObservedDataset obs =
        withTable(
            "usage_daily",
            t ->
                columns(
                    t,
                    c -> {
                      c.add(Column.of("hand_added", FieldType.STRING, FieldMode.NULLABLE, null));
                      return c;
                    }));
    Map<String, ObservedTable> tables = new LinkedHashMap<>(obs.tables());
    tables.put("scratch", new ObservedTable("scratch", null, List.of(), null, null, null));
    Map<String, ObservedView> views = new LinkedHashMap<>(obs.views());
    views.put("my_view", new ObservedView("my_view", null, null));
    Plan plan =
        plan(new ObservedDataset(obs.name(), obs.description(), "EU", obs.labels(), tables, views));

    assertThat(plan.steps()).isEmpty();
    assertThat(plan.differences())
        .extracting(Difference::kind)
        .containsExactlyInAnyOrder(
            DifferenceKind.EXTRA_COLUMN, DifferenceKind.EXTRA_TABLE, DifferenceKind.EXTRA_VIEW);
    assertThat(plan.status()).isEqualTo(SyncStatus.SYNCED);
  }

  @Test
  void extraNestedField_isInformational() {
    Plan plan =
        plan(
            withTable(
                "invoices",
                t ->
                    columns(
                        t,
                        c ->
                            replace(
                                c,
                                "billing",
                                b -> {
                                  List<Column> fields = new ArrayList<>(b.fields());
                                  fields.add(
                                      Column.of(
                                          "phone", FieldType.STRING, FieldMode.NULLABLE, null));
                                  return b.withFields(fields);
                                }))));

    assertThat(plan.differences())
        .extracting(Difference::kind, Difference::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(DifferenceKind.EXTRA_COLUMN, "billing.phone"));
  }

  @Test
  void missingView_isCreatedAfterTables() {
    ObservedDataset obs = inSync();
    ObservedDataset noView =
        new ObservedDataset(
            obs.name(), obs.description(), "EU", obs.labels(), obs.tables(), Map.of());
    Map<String, ObservedTable> tables = new LinkedHashMap<>(noView.tables());
    tables.remove("invoices");
    Plan plan =
        plan(
            new ObservedDataset(
                obs.name(), obs.description(), "EU", obs.labels(), tables, Map.of()));

    assertThat(plan.steps())
        .extracting(s -> s.getClass().getSimpleName())
        .containsExactly("CreateTable", "CreateOrReplaceView");
    assertThat(plan.steps().get(1))
        .isInstanceOfSatisfying(
            CreateOrReplaceView.class,
            s -> {
              assertThat(s.orgSlug()).isEqualTo("acme");
              assertThat(s.centralDataset()).isEqualTo("organizations");
              assertThat(s.labels()).containsKey(DesiredDataset.DEFINITION_HASH);
            });
  }

  @Test
  void viewWithOldDefinitionHash_isReplaced() {
    ObservedDataset obs = inSync();
    Map<String, ObservedView> views =
        Map.of(
            "x_events",
            new ObservedView(
                "x_events",
                "The org's events.",
                Map.of(
                    "managed-by",
                    "org-provisioner",
                    "schema-version",
                    "1",
                    DesiredDataset.DEFINITION_HASH,
                    "0000000000000000")));
    Plan plan =
        plan(
            new ObservedDataset(
                obs.name(), obs.description(), "EU", obs.labels(), obs.tables(), views));

    assertThat(plan.steps()).singleElement().isInstanceOf(CreateOrReplaceView.class);
    assertThat(plan.differences())
        .extracting(Difference::kind)
        .containsExactly(DifferenceKind.VIEW_OUTDATED);
  }

  @Test
  void tableWhereViewIsDeclared_isNonAdditiveAndNeverReplaced() {
    ObservedDataset obs = inSync();
    Map<String, ObservedTable> tables = new LinkedHashMap<>(obs.tables());
    tables.put("x_events", new ObservedTable("x_events", null, List.of(), null, null, null));
    Plan plan =
        plan(
            new ObservedDataset(
                obs.name(), obs.description(), "EU", obs.labels(), tables, Map.of()));

    assertThat(plan.steps()).isEmpty();
    assertThat(plan.differences())
        .extracting(Difference::kind)
        .containsExactly(DifferenceKind.OBJECT_KIND_CHANGED);
  }

  @Test
  void datasetLabelsDrifted_areUpdated() {
    ObservedDataset obs = inSync();
    Plan plan =
        plan(
            new ObservedDataset(
                obs.name(),
                obs.description(),
                "EU",
                Map.of("managed-by", "org-provisioner"),
                obs.tables(),
                obs.views()));

    assertThat(plan.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            UpdateDataset.class,
            s ->
                assertThat(s.labels())
                    .containsEntry("org", "acme")
                    .containsEntry("schema-version", "1"));
  }

  @Test
  void legacyTypeNamesAndNameCase_doNotCountAsDrift() {
    Plan plan =
        plan(
            withTable(
                "invoices",
                t ->
                    columns(
                        t,
                        c ->
                            replace(
                                c,
                                "invoice_id",
                                a ->
                                    new Column(
                                        "INVOICE_ID",
                                        FieldType.parse("STRING").orElseThrow(),
                                        a.mode(),
                                        a.description(),
                                        List.of())))));

    assertThat(plan.differences()).isEmpty();
    assertThat(FieldType.parse("INTEGER")).contains(FieldType.INT64);
    assertThat(FieldType.parse("RECORD")).contains(FieldType.STRUCT);
  }
}
