package dev.orgprovisioner.warehouse.bigquery;

import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.TableResult;
import dev.orgprovisioner.warehouse.bigquery.BigQueryRows.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/** Inserts, upserts and selects table rows with parameterised GoogleSQL statements. */
final class BigQueryTableRows {

  private final BigQueryCalls calls;
  private final PartitionLayouts partitions;

  BigQueryTableRows(BigQueryCalls calls) {
    this.calls = calls;
    this.partitions = new PartitionLayouts(calls);
  }

  void insertRows(String dataset, String table, List<Map<String, Object>> rows) {
    writeInBatches("insert into ", dataset, table, rows, BigQueryRows::insert);
  }

  void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    Optional<PartitionLayout> layout = partitions.of(dataset, table);
    writeInBatches(
        "upsert into ",
        dataset,
        table,
        rows,
        (target, batch) -> BigQueryRows.merge(target, keyColumns, batch, layout));
  }

  List<Map<String, Object>> selectRows(
      String dataset, String table, Map<String, Object> equalTo, int limit) {
    Statement st =
        BigQueryRows.select(BigQueryRows.table(calls.project(), dataset, table), equalTo, limit);
    TableResult result =
        calls.query("select from " + dataset + "." + table, st.sql(), null, st.parameters());
    List<Map<String, Object>> out = new ArrayList<>();
    for (FieldValueList row : result.iterateAll()) {
      out.add(BigQueryRows.row(result.getSchema().getFields(), row));
    }
    return out;
  }

  /** One statement per batch, each below the query parameter limit. */
  private void writeInBatches(
      String verb,
      String dataset,
      String table,
      List<Map<String, Object>> rows,
      BiFunction<String, List<Map<String, Object>>, Statement> statement) {
    if (rows.isEmpty()) {
      return;
    }
    String target = BigQueryRows.table(calls.project(), dataset, table);
    for (List<Map<String, Object>> batch :
        BigQueryRows.batches(rows, BigQueryRows.columns(rows).size())) {
      Statement st = statement.apply(target, batch);
      calls.query(verb + dataset + "." + table, st.sql(), null, st.parameters());
    }
  }
}
