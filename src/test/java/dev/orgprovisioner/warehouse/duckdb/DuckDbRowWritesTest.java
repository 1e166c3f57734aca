package dev.orgprovisioner.warehouse.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.testing.EmptyDatasets;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows of several tables written together are one transaction: all of them or none. */
class DuckDbRowWritesTest {

  @Test
  void upsertsIntoSeveralTables_areOneTransaction() {
    try (DuckDbWarehouse duck = new DuckDbWarehouse(":memory:")) {
      EmptyDatasets.create(duck, "central");
      duck.execute("CREATE TABLE central.a (org_slug VARCHAR, n BIGINT)");
      duck.execute("CREATE TABLE central.b (org_slug VARCHAR, n BIGINT)");
      Map<String, Object> good = new LinkedHashMap<>();
      good.put("org_slug", "acme");
      good.put("n", 1L);
      Map<String, Object> bad = new LinkedHashMap<>(good);
      bad.put("no_such_column", 2L);

      assertThatThrownBy(
              () ->
                  duck.upsertAll(
                      "central",
                      List.of(
                          new Warehouse.TableRows("a", List.of("org_slug"), List.of(good)),
                          new Warehouse.TableRows("b", List.of("org_slug"), List.of(bad)))))
          .isInstanceOf(WarehouseException.class)
          .hasMessageContaining("central.b");
      assertThat(duck.selectRows("central", "a", Map.of(), 10)).isEmpty();

      duck.upsertAll(
          "central",
          List.of(
              new Warehouse.TableRows("a", List.of("org_slug"), List.of(good)),
              new Warehouse.TableRows("b", List.of("org_slug"), List.of(good))));
      assertThat(duck.selectRows("central", "a", Map.of(), 10)).hasSize(1);
      assertThat(duck.selectRows("central", "b", Map.of(), 10)).hasSize(1);
    }
  }
}
