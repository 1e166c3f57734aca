package dev.orgprovisioner.bench;

import dev.orgprovisioner.warehouse.RetryingWarehouse;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The worker's warehouse in the end-to-end benchmark: in-memory DuckDB behind {@link
 * LatencyWarehouse}, inside the same retry decorator as in production. Selected only by {@link
 * OnboardingEndToEndBenchmark.Profile}.
 */
@Alternative
@Singleton
public class LatencyWarehouseProducer {

  private static volatile LatencyWarehouse current;
  private DuckDbWarehouse duck;

  /** The latency model of the running application. */
  static LatencyWarehouse current() {
    return current;
  }

  @Produces
  @Singleton
  Warehouse warehouse() {
    duck = new DuckDbWarehouse(":memory:");
    current = new LatencyWarehouse(duck);
    return new RetryingWarehouse(current, 4, Duration.ofMillis(10));
  }

  void close(@Disposes Warehouse warehouse) {
    duck.close();
  }
}
