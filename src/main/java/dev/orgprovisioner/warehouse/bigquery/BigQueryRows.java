package dev.orgprovisioner.warehouse.bigquery;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.LegacySQLTypeName;
import com.google.cloud.bigquery.QueryParameterValue;
import dev.orgprovisioner.warehouse.Identifiers;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds parameterised INSERT, MERGE and SELECT statements and converts row values. */
final class BigQueryRows {

  /** BigQuery allows 10,000 parameters per query; stay well below. */
  static final int MAX_PARAMETERS = 5_000;

  private BigQueryRows() {}

  /** One statement and its named parameters. */
  record Statement(String sql, Map<String, QueryParameterValue> parameters) {}

  static String table(String projectId, String dataset, String table) {
    return "`"
        + projectId
        + "."
        + Identifiers.dataset(dataset)
        + "."
        + Identifiers.name(table)
        + "`";
  }

  static String column(String name) {
    return "`" + Identifiers.name(name) + "`";
  }

  /** Every column named by any row, in first-seen order. */
  static List<String> columns(List<Map<String, Object>> rows) {
    Set<String> cols = new LinkedHashSet<>();
    rows.forEach(r -> cols.addAll(r.keySet()));
    return List.copyOf(cols);
  }

  /** Splits rows into batches whose statements stay below the parameter limit. */
  static List<List<Map<String, Object>>> batches(List<Map<String, Object>> rows, int columns) {
    int perBatch = Math.max(1, MAX_PARAMETERS / Math.max(1, columns));
    List<List<Map<String, Object>>> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i += perBatch) {
      out.add(rows.subList(i, Math.min(rows.size(), i + perBatch)));
    }
    return out;
  }

  /** {@code INSERT INTO t (a, b) VALUES (@r0_0, @r0_1), (@r1_0, NULL)}. */
  static Statement insert(String target, List<Map<String, Object>> rows) {
    List<String> cols = columns(rows);
    Map<String, QueryParameterValue> params = new LinkedHashMap<>();
    StringBuilder sql =
        new StringBuilder("INSERT INTO ")
            .append(target)
            .append(" (")
            .append(cols.stream().map(BigQueryRows::column).collect(Collectors.joining(", ")))
            .append(") VALUES ");
    for (int r = 0; r < rows.size(); r++) {
      sql.append(r == 0 ? "(" : ", (");
      for (int c = 0; c < cols.size(); c++) {
        sql.append(c == 0 ? "" : ", ").append(value(rows.get(r).get(cols.get(c)), r, c, params));
      }
      sql.append(")");
    }
    return new Statement(sql.toString(), params);
  }

  /**
   * {@code MERGE t USING (SELECT @r0_0 AS a, ... UNION ALL ...) S ON keys WHEN MATCHED THEN UPDATE
   * ... WHEN NOT MATCHED THEN INSERT ...}. Rows repeating a key keep the last one, since MERGE
   * refuses two source rows for one target row.
   */
  static Statement merge(String target, List<String> keyColumns, List<Map<String, Object>> rows) {
    return merge(target, keyColumns, rows, Optional.empty());
  }

  /**
   * As {@link #merge(String, List, List)}; into a partitioned table the ON clause also limits the
   * target to the source rows' partitions ({@link PartitionLayout#prune}), so the statement scans
   * those partitions instead of the whole table.
   */
  static Statement merge(
      String target,
      List<String> keyColumns,
      List<Map<String, Object>> rows,
      Optional<PartitionLayout> partitioning) {
    if (keyColumns.isEmpty()) {
      throw new WarehouseException(Kind.PERMANENT, "upsert needs at least one key column");
    }
    Map<List<Object>, Map<String, Object>> byKey = new LinkedHashMap<>();
    for (Map<String, Object> row : rows) {
      List<Object> key = new ArrayList<>();
      for (String k : keyColumns) {
        if (row.get(k) == null) {
          throw new WarehouseException(Kind.PERMANENT, "upsert row without key column " + k);
        }
        key.add(row.get(k));
      }
      byKey.remove(key);
      byKey.put(key, row);
    }
    List<Map<String, Object>> unique = List.copyOf(byKey.values());
    List<String> cols = columns(unique);
    // A column that is null in every row cannot be typed in the source: write NULL directly.
    List<String> sourced =
        cols.stream().filter(c -> unique.stream().anyMatch(r -> r.get(c) != null)).toList();
    Map<String, QueryParameterValue> params = new LinkedHashMap<>();
    StringBuilder source = new StringBuilder();
    for (int r = 0; r < unique.size(); r++) {
      source.append(r == 0 ? "SELECT " : " UNION ALL SELECT ");
      for (int c = 0; c < sourced.size(); c++) {
        source
            .append(c == 0 ? "" : ", ")
            .append(value(unique.get(r).get(sourced.get(c)), r, c, params))
            .append(" AS ")
            .append(column(sourced.get(c)));
      }
    }
    String on =
        keyColumns.stream()
            .map(k -> "T." + column(k) + " = S." + column(k))
            .collect(Collectors.joining(" AND "));
    if (partitioning.isPresent()) {
      PartitionLayout.Predicate prune = partitioning.get().prune(target, unique);
      on += " AND " + prune.sql();
      params.putAll(prune.parameters());
    }
    List<String> updated = cols.stream().filter(c -> !keyColumns.contains(c)).toList();
    String set =
        updated.stream()
            .map(c -> column(c) + " = " + (sourced.contains(c) ? "S." + column(c) : "NULL"))
            .collect(Collectors.joining(", "));
    String insertValues =
        cols.stream()
            .map(c -> sourced.contains(c) ? "S." + column(c) : "NULL")
            .collect(Collectors.joining(", "));
    String sql =
        "MERGE "
            + target
            + " T USING ("
            + source
            + ") S ON "
            + on
            + (updated.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET " + set)
            + " WHEN NOT MATCHED THEN INSERT ("
            + cols.stream().map(BigQueryRows::column).collect(Collectors.joining(", "))
            + ") VALUES ("
            + insertValues
            + ")";
    return new Statement(sql, params);
  }

  /** {@code SELECT * FROM t WHERE a = @w0 AND b IS NULL LIMIT n}. */
  static Statement select(String target, Map<String, Object> equalTo, int limit) {
    Map<String, QueryParameterValue> params = new LinkedHashMap<>();
    List<String> conditions = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, Object> e : equalTo.entrySet()) {
      if (e.getValue() == null) {
        conditions.add(column(e.getKey()) + " IS NULL");
      } else {
        String name = "w" + i++;
        params.put(name, parameter(e.getValue()));
        conditions.add(column(e.getKey()) + " = @" + name);
      }
    }
    String sql =
        "SELECT * FROM "
            + target
            + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
            + " LIMIT "
            + Math.max(0, limit);
    return new Statement(sql, params);
  }

  private static String value(Object v, int row, int col, Map<String, QueryParameterValue> params) {
    if (v == null) {
      return "NULL";
    }
    String name = "r" + row + "_" + col;
    params.put(name, parameter(v));
    return "@" + name;
  }

  static QueryParameterValue parameter(Object v) {
    if (v instanceof String s) {
      return QueryParameterValue.string(s);
    }
    if (v instanceof Boolean b) {
      return QueryParameterValue.bool(b);
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return QueryParameterValue.int64(((Number) v).longValue());
    }
    if (v instanceof BigInteger bi) {
      return bi.bitLength() < 64
          ? QueryParameterValue.int64(bi.longValue())
          : QueryParameterValue.bigNumeric(new BigDecimal(bi));
    }
    if (v instanceof Double || v instanceof Float) {
      return QueryParameterValue.float64(((Number) v).doubleValue());
    }
    if (v instanceof BigDecimal bd) {
      return bd.precision() - bd.scale() <= 29 && bd.scale() <= 9
          ? QueryParameterValue.numeric(bd)
          : QueryParameterValue.bigNumeric(bd);
    }
    if (v instanceof Instant i) {
      return QueryParameterValue.timestamp(ChronoUnit.MICROS.between(Instant.EPOCH, i));
    }
    if (v instanceof OffsetDateTime o) {
      return parameter(o.toInstant());
    }
    if (v instanceof ZonedDateTime z) {
      return parameter(z.toInstant());
    }
    if (v instanceof LocalDate d) {
      return QueryParameterValue.date(d.toString());
    }
    if (v instanceof LocalDateTime d) {
      return QueryParameterValue.dateTime(d.toString().replace('T', ' '));
    }
    if (v instanceof LocalTime t) {
      return QueryParameterValue.time(t.toString());
    }
    if (v instanceof byte[] bytes) {
      return QueryParameterValue.bytes(bytes);
    }
    throw new WarehouseException(
        Kind.PERMANENT, "unsupported row value type " + v.getClass().getName());
  }

  /** One result row as a map of Java values, by the result schema. */
  static Map<String, Object> row(FieldList schema, FieldValueList values) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < schema.size(); i++) {
      Field f = schema.get(i);
      out.put(f.getName(), value(f, values.get(i)));
    }
    return out;
  }

  private static Object value(Field f, FieldValue v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (f.getMode() == Field.Mode.REPEATED) {
      List<Object> list = new ArrayList<>();
      Field element = f.toBuilder().setMode(Field.Mode.NULLABLE).build();
      for (FieldValue item : v.getRepeatedValue()) {
        list.add(value(element, item));
      }
      return list;
    }
    LegacySQLTypeName type = f.getType();
    if (type == LegacySQLTypeName.RECORD) {
      return row(f.getSubFields(), v.getRecordValue());
    }
    if (type == LegacySQLTypeName.INTEGER) {
      return v.getLongValue();
    }
    if (type == LegacySQLTypeName.FLOAT) {
      return v.getDoubleValue();
    }
    if (type == LegacySQLTypeName.NUMERIC || type == LegacySQLTypeName.BIGNUMERIC) {
      return v.getNumericValue();
    }
    if (type == LegacySQLTypeName.BOOLEAN) {
      return v.getBooleanValue();
    }
    if (type == LegacySQLTypeName.TIMESTAMP) {
      return v.getTimestampInstant();
    }
    if (type == LegacySQLTypeName.DATE) {
      return LocalDate.parse(v.getStringValue());
    }
    if (type == LegacySQLTypeName.DATETIME) {
      return LocalDateTime.parse(v.getStringValue().replace(' ', 'T'));
    }
    if (type == LegacySQLTypeName.TIME) {
      return LocalTime.parse(v.getStringValue());
    }
    if (type == LegacySQLTypeName.BYTES) {
      return v.getBytesValue();
    }
    return v.getStringValue();
  }
}
