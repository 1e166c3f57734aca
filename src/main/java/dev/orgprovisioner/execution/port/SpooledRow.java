package dev.orgprovisioner.execution.port;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One warehouse row waiting in the {@link RowSpool}: its target table, the column it is keyed on,
 * its deterministic id (the value of that column), and its values (String, Long, Double, Boolean,
 * java.time types; null allowed).
 */
public record SpooledRow(
    String dataset, String table, String keyColumn, String id, Map<String, Object> values) {

  public SpooledRow {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(keyColumn, "keyColumn");
    Objects.requireNonNull(id, "id");
    if (!id.equals(values.get(keyColumn))) {
      throw new IllegalArgumentException(
          "row of " + table + ": key column " + keyColumn + " must hold the row id " + id);
    }
    // Map.copyOf refuses nulls, and absent values are legitimate columns here.
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The row keyed on {@code keyColumn}, whose value is its id. */
  public static SpooledRow of(
      String dataset, String table, String keyColumn, Map<String, Object> values) {
    Object id = values.get(keyColumn);
    if (!(id instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(
          "row of " + table + ": key column " + keyColumn + " is missing");
    }
    return new SpooledRow(dataset, table, keyColumn, s, values);
  }

  /** Identifies the row in the spool: the same target and id is the same row. */
  public String spoolKey() {
    return dataset + "." + table + "." + id;
  }
}
