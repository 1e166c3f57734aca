package dev.orgprovisioner.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.FieldType;
import dev.orgprovisioner.catalog.ViewDef;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.Difference;
import dev.orgprovisioner.plan.DifferenceKind;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.ObservedTable;
import dev.orgprovisioner.plan.Plan;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.plan.PlanStep.AddColumns;
import dev.orgprovisioner.plan.PlanStep.ColumnAddition;
import dev.orgprovisioner.plan.PlanStep.CreateOrReplaceView;
import dev.orgprovisioner.plan.PlanStep.RelaxColumns;
import dev.orgprovisioner.plan.PlanStep.UpdateDataset;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.testing.CatalogFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Warehouse} adapter must have. Each adapter's test extends this class
 * and supplies a warehouse; the same assertions then hold for DuckDB and BigQuery.
 */
public abstract class WarehouseContractTest {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  protected final Catalog catalog = CatalogFixtures.minimal();

  protected abstract Warehouse warehouse();

  /** Replaces a view's SQL the way a person would (console, bq, DDL), leaving its labels alone. */
  protected abstract void replaceViewByHand(String dataset, String view, String sql);

  /** Sets the non-null options and the labels of a dataset the way a person would. */
  protected abstract void changeDatasetByHand(String dataset, DatasetSettings settings);

  /** A KMS key the warehouse accepts as a dataset's default, or null to leave it out. */
  protected String kmsKey() {
    return "projects/test/locations/eu/keyRings/ring/cryptoKeys/key";
  }

  /**
   * Whether the warehouse takes authorized datasets that do not exist (DuckDB and the stub do), so
   * that the bound of 2,500 can be shown without making 2,501 datasets (not relied on live).
   */
  protected boolean authorizesDatasetsThatDoNotExist() {
    return true;
  }

  /** A dataset name no other test uses. */
  protected String uniqueDataset(String prefix) {
    return prefix + "_" + COUNTER.incrementAndGet() + "_" + System.nanoTime() % 100000;
  }

  protected DesiredDataset centralFor(String dataset) {
    return new DesiredDataset(dataset, "EU", catalog.central(), dataset, null);
  }

  protected DesiredDataset orgFor(String dataset, String central) {
    return new DesiredDataset(dataset, "EU", catalog.org(), central, "acme");
  }

  protected void applyAll(Plan plan) {
    plan.steps().forEach(warehouse()::apply);
  }

  protected Plan planOf(DesiredDataset desired) {
    return Planner.plan(desired, warehouse().freshSnapshot(desired.name()), warehouse()::viewSql);
  }

  @Test
  void absentDataset_hasNoSnapshot() {
    assertThat(warehouse().freshSnapshot(uniqueDataset("absent"))).isEmpty();
  }

  @Test
  void datasetExists_onlyOnceCreated() {
    String central = uniqueDataset("exists");
    assertThat(warehouse().datasetExists(central)).isFalse();

    applyAll(planOf(centralFor(central)));

    assertThat(warehouse().datasetExists(central)).isTrue();
    assertThat(warehouse().datasetExists(uniqueDataset("absent"))).isFalse();
  }

  @Test
  void appliedPlan_roundTripsToNoopPlan() {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    DesiredDataset org = orgFor(uniqueDataset("org"), central);

    applyAll(planOf(org));
    Plan again = planOf(org);

    assertThat(again.differences()).isEmpty();
    assertThat(again.isNoop()).isTrue();
    ObservedDataset observed = warehouse().freshSnapshot(org.name()).orElseThrow();
    assertThat(observed.labels())
        .containsEntry("managed-by", "org-provisioner")
        .containsEntry("org", "acme");
    ObservedTable invoices = observed.table("invoices").orElseThrow();
    Column lines =
        invoices.columns().stream().filter(c -> c.name().equals("lines")).findFirst().orElseThrow();
    assertThat(lines.mode()).isEqualTo(FieldMode.REPEATED);
    assertThat(lines.type()).isEqualTo(FieldType.STRUCT);
    assertThat(lines.field("sku").orElseThrow().mode()).isEqualTo(FieldMode.REQUIRED);
    assertThat(observed.table("usage_daily").orElseThrow().partitioning().expirationDays())
        .isEqualTo(400L);
    assertThat(observed.view("x_events")).isPresent();
  }

  @Test
  void viewEditedByHand_withItsLabelsKept_isPlannedForReplacement_andTheRepairRestoresIt() {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    DesiredDataset org = orgFor(uniqueDataset("org"), central);
    applyAll(planOf(org));
    ViewDef view = catalog.org().views().get(0);
    CreateOrReplaceView replace =
        new CreateOrReplaceView(org.name(), central, view, "acme", org.viewLabels(view));
    assertThat(planOf(org).isNoop()).as("the view as created").isTrue();

    replaceViewByHand(org.name(), view.name(), warehouse().viewSql(replace) + " AND e.kind = 'x'");
    Plan drifted = planOf(org);

    assertThat(warehouse().freshSnapshot(org.name()).orElseThrow().view(view.name()).orElseThrow())
        .satisfies(v -> assertThat(v.labels()).isEqualTo(org.viewLabels(view)))
        .satisfies(v -> assertThat(v.sql()).contains("e.kind = 'x'"));
    assertThat(drifted.differences())
        .extracting(Difference::kind)
        .containsExactly(DifferenceKind.VIEW_SQL_CHANGED);
    assertThat(drifted.steps()).containsExactly(replace);
    applyAll(drifted);
    assertThat(planOf(org).isNoop()).as("after the repair").isTrue();
  }

  @Test
  void datasetSettings_areSet_andWhenChangedByHandTheDriftIsPlannedAndRepaired() {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    DatasetSettings chosen =
        new DatasetSettings(
            Duration.ofDays(30),
            Duration.ofDays(60),
            Duration.ofHours(72),
            kmsKey(),
            Map.of("cost-center", "cc_1"));
    DesiredDataset org =
        new DesiredDataset(
            uniqueDataset("org"),
            "EU",
            catalog.org(),
            central,
            "acme",
            catalog.org().datasetSettings().overriddenBy(chosen));
    applyAll(planOf(org));

    ObservedDataset created = warehouse().freshSnapshot(org.name()).orElseThrow();
    assertThat(created.settings()).isEqualTo(chosen.withLabels(Map.of()));
    assertThat(created.labels()).containsEntry("cost-center", "cc_1");
    assertThat(planOf(org).isNoop()).as("the dataset as created").isTrue();

    changeDatasetByHand(
        org.name(),
        new DatasetSettings(
            Duration.ofDays(1), null, Duration.ofHours(168), null, Map.of("cost-center", "x")));
    Plan drifted = planOf(org);

    assertThat(drifted.differences())
        .allSatisfy(d -> assertThat(d.kind()).isEqualTo(DifferenceKind.DATASET_OPTIONS_CHANGED))
        .extracting(Difference::path)
        .containsExactlyInAnyOrder(null, "default_table_expiration_days", "max_time_travel_hours");
    assertThat(drifted.steps()).singleElement().isInstanceOf(UpdateDataset.class);
    applyAll(drifted);
    ObservedDataset repaired = warehouse().freshSnapshot(org.name()).orElseThrow();
    assertThat(repaired.settings()).isEqualTo(chosen.withLabels(Map.of()));
    assertThat(repaired.labels()).containsEntry("cost-center", "cc_1");
    assertThat(planOf(org).isNoop()).as("after the repair").isTrue();
  }

  @Test
  void freshAndBulkReads_ofAnUnchangedDataset_areEqual() throws Throwable {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    DesiredDataset org = orgFor(uniqueDataset("org"), central);
    applyAll(planOf(org));

    for (String dataset : List.of(central, org.name())) {
      ObservedDataset fresh = warehouse().freshSnapshot(dataset).orElseThrow();
      assertThat(fresh.tables()).isNotEmpty();
      ThrowingRunnable equal =
          () ->
              assertThat(warehouse().bulkSnapshot(List.of(dataset)))
                  .containsExactly(Map.entry(dataset, fresh));
      if (metadataLag().isZero()) {
        equal.run();
      } else {
        // A metadata index may trail the change just made (BigQuery's INFORMATION_SCHEMA does).
        Awaitility.await()
            .atMost(metadataLag())
            .pollInterval(Duration.ofSeconds(2))
            .untilAsserted(equal);
      }
    }
  }

  /** How long the adapter's bulk read may trail its fresh read: not at all in local stand-ins. */
  protected Duration metadataLag() {
    return Duration.ZERO;
  }

  @Test
  void everyStepAppliedTwice_changesNothingTheSecondTime() {
    String central = uniqueDataset("central");
    Plan plan = planOf(centralFor(central));

    applyAll(plan);
    applyAll(plan);

    assertThat(planOf(centralFor(central)).isNoop()).isTrue();
  }

  @Test
  void manyDatasets_areSnapshottedInOnePass() {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    String a = uniqueDataset("org_a");
    applyAll(planOf(orgFor(a, central)));

    Map<String, ObservedDataset> all =
        warehouse().bulkSnapshot(List.of(central, a, uniqueDataset("missing")));

    assertThat(all).containsOnlyKeys(central, a);
    assertThat(all.get(central).tables()).containsKeys("org_profiles", "org_events");
  }

  @Test
  void addedColumns_includingNestedOnes_appearInTheSnapshot() {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    String ds = uniqueDataset("org");
    applyAll(planOf(orgFor(ds, central)));

    warehouse()
        .apply(
            new AddColumns(
                ds,
                "invoices",
                List.of(
                    new ColumnAddition(
                        "", Column.of("note", FieldType.STRING, FieldMode.NULLABLE, "A note.")),
                    new ColumnAddition(
                        "billing",
                        Column.of("phone", FieldType.STRING, FieldMode.NULLABLE, "A phone.")))));

    ObservedTable invoices =
        warehouse().freshSnapshot(ds).orElseThrow().table("invoices").orElseThrow();
    assertThat(Column.find(invoices.columns(), "note").orElseThrow().description())
        .isEqualTo("A note.");
    assertThat(Column.find(invoices.columns(), "billing").orElseThrow().field("phone")).isPresent();
  }

  @Test
  void relaxedColumn_isNullableAfterwards() {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));

    warehouse().apply(new RelaxColumns(central, "org_profiles", List.of("status")));

    ObservedTable profiles =
        warehouse().freshSnapshot(central).orElseThrow().table("org_profiles").orElseThrow();
    assertThat(Column.find(profiles.columns(), "status").orElseThrow().mode())
        .isEqualTo(FieldMode.NULLABLE);
  }

  @Test
  void upsertedRows_replaceTheirKeyInsteadOfAppending() {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("org_slug", "acme");
    row.put("status", "ACTIVE");
    row.put("created_at", Instant.parse("2026-01-01T00:00:00Z"));

    warehouse().upsertRows(central, "org_profiles", List.of("org_slug"), List.of(row));
    row.put("status", "SUSPENDED");
    warehouse().upsertRows(central, "org_profiles", List.of("org_slug"), List.of(row));

    List<Map<String, Object>> rows =
        warehouse().selectRows(central, "org_profiles", Map.of("org_slug", "acme"), 10);
    assertThat(rows)
        .singleElement()
        .satisfies(r -> assertThat(r.get("status")).isEqualTo("SUSPENDED"));
  }

  @Test
  void upsertsIntoSeveralTables_writeEachTablesRows_andAFailingTableFailsTheCall() {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    Map<String, Object> profile = new LinkedHashMap<>();
    profile.put("org_slug", "acme");
    profile.put("status", "ACTIVE");
    profile.put("created_at", Instant.parse("2026-01-01T00:00:00Z"));
    Map<String, Object> again = new LinkedHashMap<>(profile);
    again.put("org_slug", "globex");

    warehouse()
        .upsertAll(
            central,
            List.of(
                new Warehouse.TableRows("org_profiles", List.of("org_slug"), List.of(profile)),
                new Warehouse.TableRows("org_profiles", List.of("org_slug"), List.of(again))));
    assertThat(warehouse().selectRows(central, "org_profiles", Map.of(), 10)).hasSize(2);

    Map<String, Object> bad = new LinkedHashMap<>(profile);
    bad.put("org_slug", "initech");
    bad.put("no_such_column", "x");
    assertThatThrownBy(
            () ->
                warehouse()
                    .upsertAll(
                        central,
                        List.of(
                            new Warehouse.TableRows(
                                "org_profiles", List.of("org_slug"), List.of(bad)))))
        .isInstanceOf(WarehouseException.class);
    assertThat(warehouse().selectRows(central, "org_profiles", Map.of("org_slug", "initech"), 10))
        .isEmpty();
  }

  @Test
  void upsertedRows_setTheColumnsTheyName_andKeepTheOthers() {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("org_slug", "acme");
    row.put("status", "ACTIVE");
    row.put("updated_at", Instant.parse("2026-01-02T00:00:00Z"));
    row.put("created_at", Instant.parse("2026-01-01T00:00:00Z"));
    warehouse().upsertRows(central, "org_profiles", List.of("org_slug"), List.of(row));

    Map<String, Object> change = new LinkedHashMap<>();
    change.put("org_slug", "acme");
    change.put("status", "OFFBOARDING");
    change.put("created_at", Instant.parse("2026-01-01T00:00:00Z"));
    warehouse().upsertRows(central, "org_profiles", List.of("org_slug"), List.of(change));

    assertThat(warehouse().selectRows(central, "org_profiles", Map.of("org_slug", "acme"), 10))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get("status")).isEqualTo("OFFBOARDING");
              assertThat(r.get("updated_at")).isNotNull();
            });
  }

  @Test
  void upsertedNull_clearsTheColumn() {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("org_slug", "acme");
    row.put("status", "ACTIVE");
    row.put("updated_at", Instant.parse("2026-01-02T00:00:00Z"));
    row.put("created_at", Instant.parse("2026-01-01T00:00:00Z"));
    warehouse().upsertRows(central, "org_profiles", List.of("org_slug"), List.of(row));

    Map<String, Object> cleared = new LinkedHashMap<>();
    cleared.put("org_slug", "acme");
    cleared.put("updated_at", null);
    warehouse().upsertRows(central, "org_profiles", List.of("org_slug"), List.of(cleared));

    assertThat(warehouse().selectRows(central, "org_profiles", Map.of("org_slug", "acme"), 10))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get("updated_at")).isNull();
              assertThat(r.get("status")).isEqualTo("ACTIVE");
            });
  }

  @Test
  void deletedDataset_isGoneEverywhere_andUndeleteBringsItBackWithItsRows() {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    Map<String, Object> row =
        Map.of(
            "org_slug", "acme", "kind", "x", "created_at", Instant.parse("2026-01-01T00:00:00Z"));
    warehouse().insertRows(central, "org_events", List.of(row));
    ObservedDataset before = warehouse().freshSnapshot(central).orElseThrow();

    warehouse().deleteDataset(central);

    assertThat(warehouse().freshSnapshot(central)).isEmpty();
    assertThat(warehouse().datasetExists(central)).isFalse();
    assertThat(warehouse().bulkSnapshot(List.of(central))).isEmpty();
    assertThat(warehouse().managedDatasets()).doesNotContain(central);
    warehouse().deleteDataset(central); // deleting what is gone is done

    warehouse().undeleteDataset(central);

    assertThat(warehouse().freshSnapshot(central)).contains(before);
    assertThat(warehouse().selectRows(central, "org_events", Map.of("org_slug", "acme"), 10))
        .hasSize(1);
    assertThat(planOf(centralFor(central)).steps()).isEmpty();
  }

  @Test
  void undelete_withNothingDeleted_isNotFound_andOfAnExistingDataset_aConflict() {
    String never = uniqueDataset("never");
    assertThatKind(() -> warehouse().undeleteDataset(never))
        .isEqualTo(WarehouseException.Kind.NOT_FOUND);
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    assertThatKind(() -> warehouse().undeleteDataset(central))
        .isEqualTo(WarehouseException.Kind.CONFLICT);
  }

  @Test
  void datasetCreatedAgainAfterDeletion_startsEmpty() {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    warehouse()
        .insertRows(
            central,
            "org_events",
            List.of(
                Map.of(
                    "org_slug",
                    "acme",
                    "kind",
                    "x",
                    "created_at",
                    Instant.parse("2026-01-01T00:00:00Z"))));
    warehouse().deleteDataset(central);

    applyAll(planOf(centralFor(central)));

    assertThat(warehouse().selectRows(central, "org_events", Map.of(), 10)).isEmpty();
  }

  private static org.assertj.core.api.AbstractComparableAssert<?, WarehouseException.Kind>
      assertThatKind(Runnable call) {
    try {
      call.run();
    } catch (WarehouseException e) {
      return assertThat(e.kind());
    }
    throw new AssertionError("expected a WarehouseException");
  }

  @Test
  void accessChanges_addAndRemoveOnlyTheirEntries_andKeepEveryOther() {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    List<AccessEntry> before = warehouse().accessEntries(central);
    AccessEntry foreign = AccessEntry.parse("user:tf@acme.com", AccessEntry.Role.READER);
    AccessEntry group = AccessEntry.parse("group:analysts@acme.com", AccessEntry.Role.READER);
    AccessEntry writer =
        AccessEntry.parse(
            "serviceAccount:etl@acme-prj.iam.gserviceaccount.com", AccessEntry.Role.WRITER);
    warehouse().changeAccess(central, List.of(foreign), List.of());

    warehouse().changeAccess(central, List.of(group, writer), List.of());
    warehouse().changeAccess(central, List.of(group), List.of()); // granted twice: no change

    assertThat(warehouse().accessEntries(central))
        .containsAll(before)
        .contains(foreign, group, writer)
        .hasSize(before.size() + 3);

    warehouse().changeAccess(central, List.of(), List.of(group));
    warehouse().changeAccess(central, List.of(), List.of(group)); // already gone: no change

    assertThat(warehouse().accessEntries(central))
        .containsAll(before)
        .contains(foreign, writer)
        .doesNotContain(group)
        .hasSize(before.size() + 2);
  }

  @Test
  void accessOfAMissingDataset_isNotFound() {
    String never = uniqueDataset("never");
    assertThatKind(() -> warehouse().accessEntries(never))
        .isEqualTo(WarehouseException.Kind.NOT_FOUND);
  }

  @Test
  void authorizedDatasets_addAndRemoveOnlyTheirs_andKeepEveryOtherEntry() {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    String shard = uniqueDataset("shard");
    String other = uniqueDataset("other");
    applyAll(planOf(centralFor(shard)));
    applyAll(planOf(centralFor(other)));
    AccessEntry reader = AccessEntry.parse("group:analysts@acme.com", AccessEntry.Role.READER);
    warehouse().changeAccess(central, List.of(reader), List.of());
    List<AccessEntry> entries = warehouse().accessEntries(central);

    warehouse().changeAuthorizedDatasets(central, List.of(other), List.of()); // someone else's
    warehouse().changeAuthorizedDatasets(central, List.of(shard), List.of());
    warehouse().changeAuthorizedDatasets(central, List.of(shard), List.of()); // twice: no change

    assertThat(warehouse().authorizedDatasets(central)).containsExactlyInAnyOrder(shard, other);
    assertThat(warehouse().accessEntries(central)).isEqualTo(entries);

    warehouse().changeAuthorizedDatasets(central, List.of(), List.of(shard));
    warehouse().changeAuthorizedDatasets(central, List.of(), List.of(shard)); // gone: no change

    assertThat(warehouse().authorizedDatasets(central)).containsExactly(other);
    assertThat(warehouse().accessEntries(central)).isEqualTo(entries);
  }

  @Test
  void authorizedDatasets_pastTheLimitOfTheList_areRefusedWhole() {
    org.junit.jupiter.api.Assumptions.assumeTrue(authorizesDatasetsThatDoNotExist());
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i <= dev.orgprovisioner.plan.TenantShards.MAX_AUTHORIZED_PER_LIST; i++) {
      many.add("tenant_" + i + "_views");
    }

    assertThatKind(() -> warehouse().changeAuthorizedDatasets(central, many, List.of()))
        .isEqualTo(WarehouseException.Kind.PERMANENT);
    assertThat(warehouse().authorizedDatasets(central)).isEmpty();
    warehouse().changeAuthorizedDatasets(central, many.subList(0, 2_500), List.of());
    assertThat(warehouse().authorizedDatasets(central)).hasSize(2_500);
  }

  @Test
  void authorizedDatasetsOfAMissingDataset_areNotFound() {
    String never = uniqueDataset("never");
    assertThatKind(() -> warehouse().authorizedDatasets(never))
        .isEqualTo(WarehouseException.Kind.NOT_FOUND);
  }

  @Test
  void insertedRows_areAppended() {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));
    Map<String, Object> row =
        Map.of(
            "org_slug", "acme", "kind", "x", "created_at", Instant.parse("2026-01-01T00:00:00Z"));

    warehouse().insertRows(central, "org_events", List.of(row, row));

    assertThat(warehouse().selectRows(central, "org_events", Map.of("org_slug", "acme"), 10))
        .hasSize(2);
  }

  @Test
  void managedDatasets_listOnlyDatasetsCarryingOurLabel() {
    String central = uniqueDataset("central");
    applyAll(planOf(centralFor(central)));

    assertThat(warehouse().managedDatasets()).contains(central);
  }

  @Test
  void stepOnMissingDataset_failsWithAClassifiedError() {
    PlanStep step = new RelaxColumns(uniqueDataset("nowhere"), "t", List.of("c"));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> warehouse().apply(step))
        .isInstanceOf(WarehouseException.class)
        .satisfies(e -> assertThat(((WarehouseException) e).isTransient()).isFalse());
  }
}
