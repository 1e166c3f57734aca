package dev.orgprovisioner.warehouse.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.DifferenceKind;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.testing.CatalogFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads by name from the metadata (while only the provisioner wrote the file) see what a pass over
 * DuckDB's whole catalog sees, and fall back to that pass when an object went missing elsewhere.
 */
class DuckDbObjectReadsTest {

  private final Catalog catalog = CatalogFixtures.project();
  private final DesiredDataset central =
      new DesiredDataset("organizations", "EU", catalog.central(), "organizations", null);
  private final DesiredDataset acme =
      new DesiredDataset("acme_local", "EU", catalog.org(), "organizations", "acme");
  private final DesiredDataset globex =
      new DesiredDataset("globex_local", "EU", catalog.org(), "organizations", "globex");

  private static void apply(DuckDbWarehouse warehouse, DesiredDataset desired) {
    Planner.plan(desired, warehouse.freshSnapshot(desired.name()), warehouse::viewSql)
        .steps()
        .forEach(warehouse::apply);
  }

  @Test
  void readsByName_equalThePassOverTheWholeCatalog() {
    try (DuckDbWarehouse warehouse = new DuckDbWarehouse(":memory:")) {
      List.of(central, acme, globex).forEach(d -> apply(warehouse, d));
      Map<String, ObservedDataset> byName =
          warehouse.bulkSnapshot(List.of("organizations", "acme_local", "globex_local", "none"));

      warehouse.execute("SELECT 1"); // any SQL of its own switches the adapter to the catalog pass
      Map<String, ObservedDataset> byPass =
          warehouse.bulkSnapshot(List.of("organizations", "acme_local", "globex_local", "none"));

      assertThat(byName).containsOnlyKeys("organizations", "acme_local", "globex_local");
      assertThat(byName).isEqualTo(byPass);
      assertThat(byName.get("acme_local").tables()).hasSize(19);
      assertThat(byName.get("acme_local").views()).hasSize(4);
      for (DesiredDataset d : List.of(central, acme, globex)) {
        assertThat(
                Planner.plan(d, warehouse.freshSnapshot(d.name()), warehouse::viewSql)
                    .differences())
            .isEmpty();
      }
    }
  }

  @Test
  void objectsDroppedWhileNoWorkerHadTheFileOpen_showAsMissing(@TempDir Path dir) {
    String file = dir.resolve("dropped.duckdb").toString();
    try (DuckDbWarehouse first = new DuckDbWarehouse(file)) {
      List.of(central, acme, globex).forEach(d -> apply(first, d));
    }
    String table = catalog.org().tables().get(0).name();
    try (DuckDbWarehouse byHand = new DuckDbWarehouse(file)) {
      byHand.execute("DROP TABLE acme_local." + table);
      byHand.execute("DROP VIEW acme_local." + catalog.org().views().get(0).name());
      byHand.execute("DROP SCHEMA globex_local CASCADE");
    }

    try (DuckDbWarehouse again = new DuckDbWarehouse(file)) {
      ObservedDataset acmeNow = again.freshSnapshot("acme_local").orElseThrow();
      assertThat(acmeNow.table(table)).isEmpty();
      assertThat(acmeNow.tables()).hasSize(18);
      assertThat(acmeNow.views()).hasSize(3);
      assertThat(again.freshSnapshot("globex_local")).isEmpty();
      assertThat(
              Planner.plan(acme, again.freshSnapshot("acme_local"), again::viewSql).differences())
          .extracting(d -> d.kind())
          .contains(DifferenceKind.TABLE_MISSING, DifferenceKind.VIEW_MISSING);
    }
  }
}
