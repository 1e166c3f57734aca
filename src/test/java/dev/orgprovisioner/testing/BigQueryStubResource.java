package dev.orgprovisioner.testing;

import dev.orgprovisioner.warehouse.bigquery.BigQueryStub;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Runs the application on the BigQuery REST stub (the real google-cloud-bigquery client, no
 * DuckDB): starts a stub and sets {@code warehouse.kind=bigquery} with the stub as host. Give it
 * through a test profile's {@code testResources()} so only that profile's tests use it.
 */
public class BigQueryStubResource implements QuarkusTestResourceLifecycleManager {

  public static final String PROJECT = "bench-project";

  private static volatile BigQueryStub current;

  /** The stub the running application talks to (null before start). */
  public static BigQueryStub current() {
    return current;
  }

  @Override
  public Map<String, String> start() {
    current = BigQueryStub.start();
    return Map.of(
        "warehouse.kind",
        "bigquery",
        "warehouse.bigquery.host",
        current.host(),
        "warehouse.bigquery.project-id",
        PROJECT);
  }

  @Override
  public void stop() {
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
