package dev.orgprovisioner.warehouse.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.testing.EmptyDatasets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded warehouse's memory limit and checkpoint threshold: taken as DuckDB's settings, a
 * malformed one refused.
 */
class DuckDbMemoryLimitTest {

  @Test
  void limit_isDuckDbsMemoryLimit() {
    try (DuckDbWarehouse duck = new DuckDbWarehouse(":memory:", "256MB", null, 1)) {
      EmptyDatasets.create(duck, "probe");
      duck.execute(
          "CREATE TABLE probe.setting AS SELECT current_setting('memory_limit') AS org_slug");

      List<Map<String, Object>> rows = duck.selectRows("probe", "setting", Map.of(), 1);

      // DuckDB reports the limit in its own units (256MB = 244.1 MiB).
      assertThat(String.valueOf(rows.get(0).get("org_slug"))).isEqualTo("244.1 MiB");
    }
  }

  @Test
  void malformedLimit_isRefusedNamingTheSetting() {
    for (String bad : new String[] {"lots", "512", "1GB'; DROP SCHEMA x; --"}) {
      assertThatThrownBy(() -> new DuckDbWarehouse(":memory:", bad, null, 1))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("warehouse.duckdb.memory-limit");
    }
  }

  @Test
  void checkpointThreshold_isDuckDbsSetting() {
    try (DuckDbWarehouse duck = new DuckDbWarehouse(":memory:", null, "256MB", 1)) {
      EmptyDatasets.create(duck, "probe");
      duck.execute(
          "CREATE TABLE probe.setting AS SELECT current_setting('checkpoint_threshold') AS v");

      List<Map<String, Object>> rows = duck.selectRows("probe", "setting", Map.of(), 1);

      assertThat(String.valueOf(rows.get(0).get("v"))).isEqualTo("244.1 MiB");
    }
  }

  @Test
  void malformedCheckpointThreshold_isRefusedNamingTheSetting() {
    assertThatThrownBy(() -> new DuckDbWarehouse(":memory:", null, "16MB'; CHECKPOINT; --", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("warehouse.duckdb.checkpoint-threshold");
  }
}
