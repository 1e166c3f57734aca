package dev.orgprovisioner.warehouse.bigquery;

import com.google.cloud.bigquery.BigQuery.TableListOption;
import com.google.cloud.bigquery.Dataset;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.warehouse.Identifiers;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Reads one dataset as it is now through the REST API: datasets.get, tables.list, then tables.get
 * per table and view on a bounded pool. Unlike INFORMATION_SCHEMA, these never lag a change.
 */
final class BigQueryFreshSnapshot implements AutoCloseable {

  private final BigQueryCalls calls;
  // Shared by every fresh read of this warehouse, so concurrent jobs together stay within
  // warehouse.bigquery.parallelism metadata calls; kept apart from the bulk read's pool, whose
  // queries can run for minutes.
  private final ExecutorService pool;

  BigQueryFreshSnapshot(BigQueryCalls calls, AtomicInteger threads) {
    this.calls = calls;
    this.pool =
        Executors.newFixedThreadPool(
            calls.settings().parallelism(), BigQueryCalls.daemons("bigquery-fresh-", threads));
  }

  Optional<ObservedDataset> snapshot(String dataset) {
    String name = Identifiers.dataset(dataset);
    DatasetId id = DatasetId.of(calls.project(), name);
    // Each call is bounded by the client's connect and read timeouts
    // (warehouse.bigquery.call-timeout).
    Dataset found = BigQueryCalls.call("get dataset " + name, () -> calls.client().getDataset(id));
    if (found == null) {
      return Optional.empty();
    }
    Optional<List<TableId>> listed = list(id);
    if (listed.isEmpty()) {
      return Optional.empty(); // deleted between the two calls
    }
    List<CompletableFuture<Table>> reads =
        listed.get().stream()
            .map(
                t ->
                    async(
                        "get table " + name + "." + t.getTable(), () -> calls.client().getTable(t)))
            .toList();
    List<Table> tables = new ArrayList<>();
    try {
      for (CompletableFuture<Table> read : reads) {
        tables.add(BigQueryCalls.join(read));
      }
    } catch (RuntimeException e) {
      reads.forEach(r -> r.cancel(false)); // the queued reads of a failed snapshot never start
      throw e;
    }
    // A table deleted between tables.list and its tables.get is gone: null, left out.
    return Optional.of(
        RestResources.dataset(found, tables.stream().filter(Objects::nonNull).toList()));
  }

  private <T> CompletableFuture<T> async(String what, Supplier<T> call) {
    return CompletableFuture.supplyAsync(() -> BigQueryCalls.call(what, call), pool);
  }

  /** The dataset's tables and views, every page; empty if the dataset is gone. */
  private Optional<List<TableId>> list(DatasetId id) {
    try {
      List<TableId> out = new ArrayList<>();
      BigQueryCalls.call(
          "list tables of " + id.getDataset(),
          () -> {
            calls
                .client()
                .listTables(id, TableListOption.pageSize(1000))
                .iterateAll()
                .forEach(t -> out.add(t.getTableId()));
            return out;
          });
      return Optional.of(out);
    } catch (WarehouseException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
