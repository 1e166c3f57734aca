package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.StandardSQLTypeName;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MERGE predicate that prunes a partitioned target to its source rows' partitions. */
class PartitionLayoutTest {

  private static Map<String, Object> at(String column, Object value) {
    Map<String, Object> row = new HashMap<>();
    row.put(column, value);
    return row;
  }

  private static String value(Map<String, QueryParameterValue> params, String name) {
    return params.get(name).getValue();
  }

  @Test
  void dailyTimestamps_becomeOneRangePerRunOfAdjacentDays() {
    var layout = new PartitionLayout("created_at", "TIMESTAMP", "DAY");

    var p =
        layout.prune(
            "`p.d.t`",
            List.of(
                at("created_at", Instant.parse("2026-01-02T23:59:59Z")),
                at("created_at", Instant.parse("2026-01-01T10:00:00Z")),
                at("created_at", Instant.parse("2026-01-05T00:00:00Z"))));

    assertThat(p.sql())
        .isEqualTo(
            "(T.`created_at` >= @p0_lo AND T.`created_at` < @p0_hi"
                + " OR T.`created_at` >= @p1_lo AND T.`created_at` < @p1_hi)");
    assertThat(p.parameters().values())
        .allSatisfy(v -> assertThat(v.getType()).isEqualTo(StandardSQLTypeName.TIMESTAMP));
    assertThat(value(p.parameters(), "p0_lo")).startsWith("2026-01-01 00:00:00");
    assertThat(value(p.parameters(), "p0_hi")).startsWith("2026-01-03 00:00:00");
    assertThat(value(p.parameters(), "p1_lo")).startsWith("2026-01-05 00:00:00");
    assertThat(value(p.parameters(), "p1_hi")).startsWith("2026-01-06 00:00:00");
  }

  @Test
  void aRowWithoutPartitionValue_keepsTheNullPartition() {
    var layout = new PartitionLayout("usage_date", "DATE", "DAY");

    var p =
        layout.prune(
            "`p.d.t`", List.of(at("usage_date", null), at("usage_date", LocalDate.of(2026, 3, 1))));

    assertThat(p.sql())
        .isEqualTo(
            "(T.`usage_date` >= @p0_lo AND T.`usage_date` < @p0_hi OR T.`usage_date` IS NULL)");
    assertThat(p.parameters().get("p0_lo").getType()).isEqualTo(StandardSQLTypeName.DATE);
    assertThat(value(p.parameters(), "p0_lo")).isEqualTo("2026-03-01");
    assertThat(value(p.parameters(), "p0_hi")).isEqualTo("2026-03-02");
  }

  @Test
  void monthlyAndHourlyGranularities_boundWholePartitions() {
    var monthly = new PartitionLayout("d", "DATE", "MONTH");
    var hourly = new PartitionLayout("t", "DATETIME", "HOUR");

    var m =
        monthly.prune(
            "`p.d.t`",
            List.of(at("d", LocalDate.of(2026, 1, 31)), at("d", LocalDate.of(2026, 2, 1))));
    var h = hourly.prune("`p.d.t`", List.of(at("t", LocalDateTime.of(2026, 1, 1, 7, 59, 30))));

    assertThat(value(m.parameters(), "p0_lo")).isEqualTo("2026-01-01");
    assertThat(value(m.parameters(), "p0_hi")).isEqualTo("2026-03-01");
    assertThat(m.parameters()).hasSize(2);
    assertThat(h.parameters().get("p0_lo").getType()).isEqualTo(StandardSQLTypeName.DATETIME);
    assertThat(value(h.parameters(), "p0_lo")).isEqualTo("2026-01-01 07:00:00.000000");
    assertThat(value(h.parameters(), "p0_hi")).isEqualTo("2026-01-01 08:00:00.000000");
  }

  @Test
  void aValueOfAnotherTypeThanTheColumn_isRefusedNamingTheColumn() {
    var layout = new PartitionLayout("created_at", "TIMESTAMP", "DAY");

    assertThatThrownBy(() -> layout.prune("`p.d.t`", List.of(at("created_at", "yesterday"))))
        .isInstanceOf(WarehouseException.class)
        .hasMessageContaining("partitioning column created_at is TIMESTAMP");
  }
}
