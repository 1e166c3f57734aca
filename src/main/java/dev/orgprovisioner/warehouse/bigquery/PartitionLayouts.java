package dev.orgprovisioner.warehouse.bigquery;

import com.google.cloud.bigquery.BigQuery.TableField;
import com.google.cloud.bigquery.BigQuery.TableOption;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableDefinition;
import com.google.cloud.bigquery.TimePartitioning;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The time partitioning of the tables rows are upserted into, read once per table with tables.get
 * (BigQuery never changes an existing table's partitioning) and kept for the process's life.
 */
final class PartitionLayouts {

  private final BigQueryCalls calls;
  private final ConcurrentMap<String, Optional<PartitionLayout>> known = new ConcurrentHashMap<>();

  PartitionLayouts(BigQueryCalls calls) {
    this.calls = calls;
  }

  /**
   * The table's column partitioning; empty if unpartitioned or partitioned by ingestion time (no
   * column the rows carry).
   *
   * @throws WarehouseException NOT_FOUND if the table does not exist (not remembered)
   */
  Optional<PartitionLayout> of(String dataset, String table) {
    String key = dataset + "." + table;
    Optional<PartitionLayout> layout = known.get(key);
    if (layout == null) {
      layout = read(dataset, table);
      known.put(key, layout);
    }
    return layout;
  }

  private Optional<PartitionLayout> read(String dataset, String table) {
    Table t =
        BigQueryCalls.call(
            "read partitioning of " + dataset + "." + table,
            () ->
                calls
                    .client()
                    .getTable(
                        calls.tableId(dataset, table),
                        TableOption.fields(TableField.TIME_PARTITIONING, TableField.SCHEMA)));
    if (t == null) {
      throw new WarehouseException(
          Kind.NOT_FOUND, "table " + dataset + "." + table + " does not exist");
    }
    TableDefinition def = t.getDefinition();
    if (!(def instanceof StandardTableDefinition std)) {
      return Optional.empty();
    }
    TimePartitioning tp = std.getTimePartitioning();
    Schema schema = std.getSchema();
    if (tp == null || tp.getField() == null || schema == null) {
      return Optional.empty();
    }
    Field field =
        schema.getFields().stream()
            .filter(f -> f.getName().equalsIgnoreCase(tp.getField()))
            .findFirst()
            .orElse(null);
    if (field == null) {
      return Optional.empty();
    }
    return Optional.of(
        new PartitionLayout(field.getName(), field.getType().name(), tp.getType().name()));
  }
}
