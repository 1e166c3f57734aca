package dev.orgprovisioner.warehouse.bigquery;

import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.TableResult;
import dev.orgprovisioner.warehouse.DmlSlotGate;
import dev.orgprovisioner.warehouse.bigquery.BigQueryRows.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Inserts, upserts and selects table rows with parameterised GoogleSQL statements; concurrent
 * upserts into one table are combined ({@link GroupCommit}), each statement holding one of the
 * table's fleet-wide DML slots ({@link DmlSlotGate}) while it runs.
 */
final class BigQueryTableRows implements AutoCloseable {

  private final BigQueryCalls calls;
  private final PartitionLayouts partitions;
  // Null: every upsert sends its own statements (tests show what grouping prevents).
  private final GroupCommit group;
  private final DmlSlotGate slots;

  BigQueryTableRows(
      BigQueryCalls calls, AtomicInteger threads, boolean grouped, DmlSlotGate slots) {
    this.calls = calls;
    this.slots = slots;
    this.partitions = new PartitionLayouts(calls);
    this.group =
        grouped ? new GroupCommit(this::merge, calls.settings().queryTimeout(), threads) : null;
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
    if (group == null) {
      writeInBatches(
          "upsert into ",
          dataset,
          table,
          rows,
          (target, batch) -> BigQueryRows.merge(target, keyColumns, batch, layout));
      return;
    }
    String target = BigQueryRows.table(calls.project(), dataset, table);
    List<List<Map<String, Object>>> alone =
        BigQueryRows.batches(rows, BigQueryRows.columns(rows).size());
    // Built once here so a caller's own bad input (no key, a value of no SQL type) fails before
    // it joins other callers' rows.
    alone.forEach(batch -> BigQueryRows.merge(target, keyColumns, batch, layout));
    GroupCommit.Shape shape =
        new GroupCommit.Shape(
            dataset, table, keyColumns, Set.copyOf(BigQueryRows.columns(rows)), layout);
    group.upsert(shape, List.copyOf(rows), JobLabels.current(), alone.size());
  }

  /** Upserts into the table waiting for group commit's next statement (for tests). */
  int waitingUpserts(String dataset, String table) {
    return group == null ? 0 : group.waiting(dataset, table);
  }

  /** MERGE statements sent so far by group commit (combined or alone); 0 when off. */
  long groupedStatements() {
    return group == null ? 0 : group.statements();
  }

  /** Sends one caller's or batch's rows, all statements ending within {@code wait}. */
  private void merge(
      GroupCommit.Shape shape,
      List<Map<String, Object>> rows,
      Map<String, String> labels,
      Duration wait) {
    String what = "upsert into " + shape.dataset() + "." + shape.table();
    String target = BigQueryRows.table(calls.project(), shape.dataset(), shape.table());
    long deadline = System.nanoTime() + wait.toNanos();
    for (List<Map<String, Object>> batch :
        BigQueryRows.batches(rows, BigQueryRows.columns(rows).size())) {
      Statement st = BigQueryRows.merge(target, shape.keyColumns(), batch, shape.layout());
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw BigQueryErrors.timedOut(what, wait, null);
      }
      // The fleet's slot of this table, held until the statement ended (or its deadline passed).
      try (DmlSlotGate.Held slot =
          slots.acquire(shape.dataset() + "." + shape.table(), Duration.ofNanos(left))) {
        long rest = deadline - System.nanoTime();
        if (rest <= 0) {
          throw BigQueryErrors.timedOut(what, wait, null);
        }
        calls.query(what, st.sql(), null, st.parameters(), labels, Duration.ofNanos(rest));
      } catch (TimeoutException e) {
        throw BigQueryErrors.timedOut(what, wait, e);
      } catch (InterruptedException e) {
        throw BigQueryErrors.interrupted(what, e);
      }
    }
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

  @Override
  public void close() {
    if (group != null) {
      group.close();
    }
  }
}
