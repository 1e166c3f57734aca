package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.bigquery.StandardSQLTypeName;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Statement building for row writes: parameters only, NULLs typed by their column. */
class BigQueryRowsTest {

  private static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void insert_usesTheUnionOfColumns_andNullForMissingValues() {
    var st =
        BigQueryRows.insert("`p.d.t`", List.of(row("a", "x", "b", 1L), row("a", "y", "c", true)));

    assertThat(st.sql())
        .isEqualTo(
            "INSERT INTO `p.d.t` (`a`, `b`, `c`) VALUES (@r0_0, @r0_1, NULL), (@r1_0, NULL, @r1_2)");
    assertThat(st.parameters().get("r0_1").getType()).isEqualTo(StandardSQLTypeName.INT64);
    assertThat(st.parameters().get("r1_2").getType()).isEqualTo(StandardSQLTypeName.BOOL);
  }

  @Test
  void merge_keepsTheLastRowPerKey() {
    var st =
        BigQueryRows.merge(
            "`p.d.t`", List.of("k"), List.of(row("k", "a", "v", 1L), row("k", "a", "v", 2L)));

    assertThat(st.sql()).doesNotContain("UNION ALL");
    assertThat(st.parameters().get("r0_1").getValue()).isEqualTo("2");
  }

  @Test
  void merge_withOnlyKeyColumns_hasNoUpdateClause() {
    var st = BigQueryRows.merge("`p.d.t`", List.of("k"), List.of(row("k", "a")));

    assertThat(st.sql()).doesNotContain("WHEN MATCHED").contains("WHEN NOT MATCHED THEN INSERT");
  }

  @Test
  void merge_intoAPartitionedTable_addsThePartitionPredicateToTheOnClause() {
    var layout = new PartitionLayout("created_at", "TIMESTAMP", "DAY");

    var st =
        BigQueryRows.merge(
            "`p.d.t`",
            List.of("k"),
            List.of(row("k", "a", "created_at", Instant.parse("2026-01-01T10:00:00Z"))),
            Optional.of(layout));

    assertThat(st.sql())
        .contains(
            " S ON T.`k` = S.`k` AND (T.`created_at` >= @p0_lo AND T.`created_at` < @p0_hi)"
                + " WHEN MATCHED THEN UPDATE SET `created_at` = S.`created_at`");
    assertThat(st.parameters()).containsKeys("r0_0", "r0_1", "p0_lo", "p0_hi");
  }

  @Test
  void merge_refusesRowsWithoutKey() {
    Map<String, Object> noKey = new HashMap<>();
    noKey.put("k", null);
    assertThatThrownBy(() -> BigQueryRows.merge("`p.d.t`", List.of("k"), List.of(noKey)))
        .isInstanceOf(WarehouseException.class);
  }

  @Test
  void parameters_areTypedFromJavaValues() {
    assertThat(BigQueryRows.parameter(Instant.parse("2026-01-01T00:00:00Z")).getType())
        .isEqualTo(StandardSQLTypeName.TIMESTAMP);
    assertThat(BigQueryRows.parameter(LocalDate.parse("2026-01-02")).getValue())
        .isEqualTo("2026-01-02");
    assertThat(BigQueryRows.parameter(new BigDecimal("1.25")).getType())
        .isEqualTo(StandardSQLTypeName.NUMERIC);
    assertThat(BigQueryRows.parameter(2.5d).getType()).isEqualTo(StandardSQLTypeName.FLOAT64);
    assertThatThrownBy(() -> BigQueryRows.parameter(new Object()))
        .isInstanceOf(WarehouseException.class);
  }

  @Test
  void batches_stayBelowTheParameterLimit() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      rows.add(row("a", "x", "b", "y"));
    }

    assertThat(BigQueryRows.batches(rows, 2))
        .allSatisfy(b -> assertThat(b.size() * 2).isLessThanOrEqualTo(BigQueryRows.MAX_PARAMETERS))
        .hasSize(2);
  }

  @Test
  void identifiersAreValidated_beforeTheyReachSql() {
    assertThatThrownBy(() -> BigQueryRows.insert("`p.d.t`", List.of(row("a`; DROP", "x"))))
        .isInstanceOf(WarehouseException.class);
  }
}
