package dev.orgprovisioner.warehouse.duckdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseContractTest;
import dev.orgprovisioner.warehouse.duckdb.DuckDbMetadata.MetaRow;
import dev.orgprovisioner.warehouse.duckdb.DuckDbMetadata.StoredSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The warehouse contract, run against an in-memory DuckDB (a subclass runs it on files). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DuckDbWarehouseContractTest extends WarehouseContractTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private DuckDbWarehouse warehouse;

  /** The warehouse the contract runs against. */
  protected DuckDbWarehouse open() {
    return new DuckDbWarehouse(":memory:");
  }

  @BeforeAll
  void openWarehouse() {
    warehouse = open();
  }

  @AfterAll
  void close() {
    warehouse.close();
  }

  @Override
  protected Warehouse warehouse() {
    return warehouse;
  }

  @Override
  protected void changeDatasetByHand(String dataset, DatasetSettings settings) {
    MetaRow m = warehouse.metadata(dataset, DuckDbMetadata.DATASET_ROW).orElseThrow();
    StoredSettings stored =
        m.settings() == null ? StoredSettings.of(settings) : m.settings().overriddenBy(settings);
    try {
      warehouse.execute(
          "UPDATE "
              + DuckDbMetadata.meta(dataset)
              + " SET settings = '"
              + JSON.writeValueAsString(stored)
              + "', labels = '"
              + JSON.writeValueAsString(DuckDbMetadata.merge(m.labels(), settings.labels()))
              + "' WHERE dataset = '"
              + dataset
              + "' AND name = ''");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected void replaceViewByHand(String dataset, String view, String sql) {
    warehouse.execute(
        "CREATE OR REPLACE VIEW " + DuckDbSql.qualified(dataset, view) + " AS " + sql);
  }
}
