package dev.orgprovisioner.warehouse.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedded warehouse's memory limit: taken as DuckDB's setting, a malformed one refused. */
class DuckDbMemoryLimitTest {

  @Test
  void limit_isDuckDbsMemoryLimit() {
    try (DuckDbWarehouse duck = new DuckDbWarehouse(":memory:", "256MB")) {
      duck.execute("CREATE SCHEMA probe");
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
      assertThatThrownBy(() -> new DuckDbWarehouse(":memory:", bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("warehouse.duckdb.memory-limit");
    }
  }
}
