package dev.orgprovisioner.warehouse.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.TableDef;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.DifferenceKind;
import dev.orgprovisioner.plan.Plan;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.plan.SyncStatus;
import dev.orgprovisioner.testing.CatalogFixtures;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's real catalog on DuckDB: every table and view is created and views return rows. On
 * dataset files with one idle dataset attached, so a view's read of central tables and a drift
 * found by hand survive their datasets being detached.
 */
class DuckDbProjectCatalogTest {

  private final Catalog catalog = CatalogFixtures.project();
  @TempDir Path folder;
  private DuckDbWarehouse warehouse;
  private DesiredDataset central;
  private DesiredDataset acme;

  @BeforeEach
  void provision() {
    warehouse = new DuckDbWarehouse(folder.resolve("warehouse").toString(), null, null, 1);
    central = new DesiredDataset("organizations", "EU", catalog.central(), "organizations", null);
    acme = new DesiredDataset("acme_local", "EU", catalog.org(), "organizations", "acme");
    apply(central);
    apply(acme);
  }

  @AfterEach
  void close() {
    warehouse.close();
  }

  private void apply(DesiredDataset desired) {
    Planner.plan(desired, warehouse.freshSnapshot(desired.name()), warehouse::viewSql)
        .steps()
        .forEach(warehouse::apply);
  }

  private Plan plan(DesiredDataset desired) {
    return Planner.plan(desired, warehouse.freshSnapshot(desired.name()), warehouse::viewSql);
  }

  @Test
  void fullCatalog_isSyncedAfterOneApply() {
    assertThat(plan(central).differences()).isEmpty();
    assertThat(plan(acme).differences()).isEmpty();
    assertThat(warehouse.freshSnapshot("acme_local").orElseThrow().tables()).hasSize(19);
    assertThat(warehouse.freshSnapshot("acme_local").orElseThrow().views()).hasSize(4);
    assertThat(warehouse.freshSnapshot("organizations").orElseThrow().tables()).hasSize(21);
  }

  @Test
  void fullCatalog_isStillSynced_whenTheDatabaseFileIsOpenedAgain(@TempDir Path dir) {
    String file = dir.resolve("reopened.duckdb").toString();
    try (DuckDbWarehouse first = new DuckDbWarehouse(file)) {
      for (DesiredDataset d : List.of(central, acme)) {
        Planner.plan(d, first.freshSnapshot(d.name()), first::viewSql)
            .steps()
            .forEach(first::apply);
      }
    }

    try (DuckDbWarehouse again = new DuckDbWarehouse(file)) {
      for (DesiredDataset d : List.of(central, acme)) {
        assertThat(Planner.plan(d, again.freshSnapshot(d.name()), again::viewSql).differences())
            .as(d.name())
            .isEmpty();
      }
    }
  }

  @Test
  void views_returnOnlyTheirOrgsRows() {
    for (String org : List.of("acme", "globex")) {
      insertMinimalRow("org_hierarchy", org, Map.of());
      insertMinimalRow("org_meta_pipeline_runs", org, Map.of());
      insertMinimalRow("org_notification_history", org, Map.of());
      insertMinimalRow("org_notification_channels", org, Map.of());
    }

    for (String view : List.of("x_org_hierarchy", "x_pipeline_exec_logs", "x_all_notifications")) {
      assertThat(warehouse.selectRows("acme_local", view, Map.of(), 10)).as(view).hasSize(1);
    }
    List<Map<String, Object>> stats =
        warehouse.selectRows("acme_local", "x_notification_stats", Map.of(), 10);
    assertThat(stats).hasSize(1);
  }

  @Test
  void viewReplacedByHand_isStillDrift_afterItsDatasetWasDetachedAndAttachedAgain() {
    String view = "x_org_hierarchy";
    warehouse.execute(
        "CREATE OR REPLACE VIEW acme_local." + view + " AS SELECT 1 AS id, 'acme' AS org_slug");
    warehouse.datasetExists("organizations"); // the one idle place: acme_local is detached
    assertThat(warehouse.attachedDatasets()).isEqualTo(1);

    assertThat(plan(acme).differences())
        .extracting(d -> d.kind())
        .containsExactly(DifferenceKind.VIEW_SQL_CHANGED);
  }

  @Test
  void viewsLeftAlone_stayInSync_whenTheirDatasetIsDetachedAfterSqlByHand() {
    assertThat(warehouse.freshSnapshot("acme_local")).isPresent(); // acme_local is attached
    warehouse.execute("SELECT 1"); // records the echoes of the views of the attached datasets
    warehouse.datasetExists("organizations"); // the one idle place: acme_local is detached

    assertThat(plan(acme).differences()).as("DuckDB re-serialises views as it attaches").isEmpty();
  }

  @Test
  void typeChangedByHand_isReportedAndNotRepaired() {
    warehouse.execute(
        "ALTER TABLE acme_local.genai_payg_pricing ALTER COLUMN provider TYPE BIGINT USING 0");

    Plan plan = plan(acme);

    assertThat(plan.status()).isEqualTo(SyncStatus.OUT_OF_SYNC);
    assertThat(plan.differences())
        .extracting(d -> d.kind() + " " + d.object() + "." + d.path())
        .containsExactly("COLUMN_TYPE_CHANGED genai_payg_pricing.provider");
    assertThat(plan.steps()).isEmpty();
  }

  @Test
  void columnDroppedByHand_isAddedBackByTheNextApply() {
    TableDef table = catalog.org().table("genai_payg_pricing").orElseThrow();
    Column nullable =
        table.columns().stream()
            .filter(c -> c.mode() == FieldMode.NULLABLE)
            .findFirst()
            .orElseThrow();
    warehouse.execute("ALTER TABLE acme_local.genai_payg_pricing DROP COLUMN " + nullable.name());

    assertThat(plan(acme).differences())
        .extracting(d -> d.kind())
        .containsExactly(DifferenceKind.COLUMN_MISSING);
    apply(acme);

    assertThat(plan(acme).differences()).isEmpty();
  }

  @Test
  void droppedDataset_hasNoSnapshot() {
    warehouse.dropByHand("acme_local");

    assertThat(warehouse.freshSnapshot("acme_local")).isEmpty();
    assertThat(warehouse.managedDatasets()).containsExactly("organizations");
  }

  private void insertMinimalRow(String table, String org, Map<String, Object> extra) {
    TableDef def = catalog.central().table(table).orElseThrow();
    Map<String, Object> row = new LinkedHashMap<>();
    for (Column c : def.columns()) {
      if (c.mode() == FieldMode.REQUIRED) {
        row.put(c.name(), sample(c));
      }
    }
    row.put("org_slug", org);
    row.putAll(extra);
    warehouse.insertRows("organizations", table, List.of(row));
  }

  private static Object sample(Column c) {
    return switch (c.type()) {
      case STRING, GEOGRAPHY, JSON -> c.name().endsWith("_id") ? "id-1" : "x";
      case INT64 -> 1L;
      case FLOAT64 -> 1.0d;
      case NUMERIC, BIGNUMERIC -> java.math.BigDecimal.ONE;
      case BOOL -> true;
      case DATE -> LocalDate.now();
      case DATETIME -> java.time.LocalDateTime.now();
      case TIMESTAMP -> Instant.now();
      case TIME -> java.time.LocalTime.NOON;
      case BYTES -> new byte[] {1};
      case STRUCT -> null;
    };
  }
}
