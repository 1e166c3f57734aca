package dev.orgprovisioner.warehouse.bigquery;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseContractTest;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The warehouse contract, run through the real BigQuery client against the local REST stub. */
class BigQueryWarehouseContractTest extends WarehouseContractTest {

  private static BigQueryStub stub;
  private static BigQueryWarehouse warehouse;
  private static BigQueryByHand byHand;

  @BeforeAll
  static void start() {
    stub = BigQueryStub.start();
    warehouse =
        BigQueryWarehouse.create(
            new BigQuerySettings(
                "test-project", "EU", Optional.of(stub.host()), 100L * 1024 * 1024, 4));
    byHand = BigQueryByHand.against(stub, "test-project");
  }

  @AfterAll
  static void stop() {
    warehouse.close();
    stub.close();
  }

  @Override
  protected Warehouse warehouse() {
    return warehouse;
  }

  @Override
  protected void changeDatasetByHand(String dataset, DatasetSettings settings) {
    byHand.updateDataset(dataset, settings);
  }

  @Override
  protected void replaceViewByHand(String dataset, String view, String sql) {
    byHand.replaceView(dataset, view, sql);
  }
}
