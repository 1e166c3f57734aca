package dev.orgprovisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.TableDef;
import dev.orgprovisioner.catalog.ViewDef;
import dev.orgprovisioner.plan.PlanStep.AddColumns;
import dev.orgprovisioner.testing.CatalogFixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The planner of an older catalog (version 1) facing objects a newer version synced: nothing is
 * downgraded, and what its own catalog declares and the object lacks is still added.
 */
class PlannerNewerVersionTest {

  private static final ViewRenderer TEMPLATE = v -> v.view().template();
  private static final Map<String, String> V3 =
      Map.of("managed-by", "org-provisioner", "schema-version", "3");

  private final Catalog catalog = CatalogFixtures.minimal();
  private final DesiredDataset desired =
      new DesiredDataset("acme_local", "EU", catalog.org(), "organizations", "acme");

  /** Every object of the catalog, with the newer version's labels and descriptions. */
  private ObservedDataset syncedByVersion3(String tableWithoutColumn, String column) {
    Map<String, ObservedTable> tables = new LinkedHashMap<>();
    for (TableDef t : desired.catalog().tables()) {
      List<Column> columns =
          t.name().equals(tableWithoutColumn)
              ? t.columns().stream().filter(c -> !c.name().equals(column)).toList()
              : t.columns();
      tables.put(
          t.name(),
          new ObservedTable(
              t.name(), "Newer text.", columns, t.partitioning(), t.clustering(), V3));
    }
    Map<String, ObservedView> views = new LinkedHashMap<>();
    for (ViewDef v : desired.catalog().views()) {
      Map<String, String> labels = new LinkedHashMap<>(V3);
      labels.put(DesiredDataset.DEFINITION_HASH, "newer-hash");
      views.put(v.name(), new ObservedView(v.name(), "Newer view.", labels));
    }
    Map<String, String> datasetLabels = new LinkedHashMap<>(desired.datasetLabels());
    datasetLabels.put("schema-version", "3");
    return new ObservedDataset(
        desired.name(), "Newer dataset.", "EU", datasetLabels, tables, views);
  }

  @Test
  void objectsOfANewerVersion_getNoUpdate_andAreReportedAsNewerVersionOnly() {
    Plan plan = Planner.plan(desired, Optional.of(syncedByVersion3(null, null)), TEMPLATE);

    assertThat(plan.steps()).isEmpty();
    assertThat(plan.status()).isEqualTo(SyncStatus.SYNCED);
    assertThat(plan.differences())
        .allSatisfy(d -> assertThat(d.kind()).isEqualTo(DifferenceKind.NEWER_VERSION))
        .extracting(Difference::object)
        .containsExactlyInAnyOrder(null, "usage_daily", "invoices", "x_events");
    assertThat(plan.differences())
        .allSatisfy(
            d -> {
              assertThat(d.expected()).isEqualTo("1");
              assertThat(d.observed()).isEqualTo("3");
            });
  }

  @Test
  void aColumnOurCatalogDeclaresAndANewerTableLacks_isStillAdded_withoutTouchingItsOptions() {
    Plan plan =
        Planner.plan(desired, Optional.of(syncedByVersion3("usage_daily", "amount")), TEMPLATE);

    assertThat(plan.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            AddColumns.class, s -> assertThat(s.table()).isEqualTo("usage_daily"));
    assertThat(plan.differences(Classification.ADDITIVE))
        .extracting(Difference::kind)
        .containsExactly(DifferenceKind.COLUMN_MISSING);
  }

  @Test
  void version10_isNewerThanVersion2_sinceVersionsCompareAsNumbers() {
    DesiredDataset version2 =
        new DesiredDataset(
            "acme_local", "EU", CatalogFixtures.minimalV2().org(), "organizations", "acme");
    ObservedDataset v3 = syncedByVersion3(null, null);
    Map<String, String> labels = new LinkedHashMap<>(v3.labels());
    labels.put("schema-version", "10");
    ObservedDataset v10 =
        new ObservedDataset(v3.name(), v3.description(), "EU", labels, v3.tables(), v3.views());

    Plan plan = Planner.plan(version2, Optional.of(v10), TEMPLATE);

    assertThat(plan.differences())
        .filteredOn(d -> d.object() == null)
        .extracting(d -> d.kind() + " " + d.expected() + " " + d.observed())
        .containsExactly("NEWER_VERSION 2 10");
    assertThat(plan.steps())
        .as("only what version 2 adds and the dataset lacks")
        .extracting(PlanStep::describe)
        .containsExactly(
            "create table acme_local.credits", "add columns [region] to acme_local.usage_daily");
  }
}
