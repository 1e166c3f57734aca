package dev.orgprovisioner.warehouse.duckdb;

import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The warehouse contract, run against an in-memory DuckDB. */
class DuckDbWarehouseContractTest extends WarehouseContractTest {

  private static DuckDbWarehouse warehouse;

  @BeforeAll
  static void open() {
    warehouse = new DuckDbWarehouse(":memory:");
  }

  @AfterAll
  static void close() {
    warehouse.close();
  }

  @Override
  protected Warehouse warehouse() {
    return warehouse;
  }

  @Override
  protected void replaceViewByHand(String dataset, String view, String sql) {
    warehouse.execute(
        "CREATE OR REPLACE VIEW " + DuckDbSql.qualified(dataset, view) + " AS " + sql);
  }
}
