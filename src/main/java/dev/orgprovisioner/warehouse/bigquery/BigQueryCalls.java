package dev.orgprovisioner.warehouse.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.JobException;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;
import dev.orgprovisioner.warehouse.Identifiers;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The BigQuery client of one project: bounded GoogleSQL queries and classified call failures. */
final class BigQueryCalls implements AutoCloseable {

  private final BigQuery bigquery;
  private final BigQuerySettings settings;
  // Query calls run here so the caller's wait is bounded even if the client hangs.
  private final ExecutorService waits;

  BigQueryCalls(BigQuery bigquery, BigQuerySettings settings, AtomicInteger threads) {
    this.bigquery = bigquery;
    this.settings = settings;
    this.waits = Executors.newCachedThreadPool(daemons("bigquery-query-", threads));
  }

  /** Daemon threads named {@code prefix} and a number drawn from {@code n}. */
  static ThreadFactory daemons(String prefix, AtomicInteger n) {
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  BigQuery client() {
    return bigquery;
  }

  BigQuerySettings settings() {
    return settings;
  }

  String project() {
    return settings.projectId();
  }

  TableId tableId(String dataset, String table) {
    return TableId.of(project(), Identifiers.dataset(dataset), Identifiers.name(table));
  }

  /** Runs one GoogleSQL query; every query carries the maximum bytes billed. */
  TableResult query(
      String what, String sql, String location, Map<String, QueryParameterValue> params) {
    QueryJobConfiguration config =
        QueryJobConfiguration.newBuilder(sql)
            .setUseLegacySql(false)
            .setMaximumBytesBilled(settings.maximumBytesBilled())
            .setNamedParameters(params)
            // No setJobTimeoutMs: the client then gives up the one-call jobs.query path for
            // jobs.insert plus polling. The wait below bounds the call instead.
            .build();
    JobId jobId = location == null ? null : JobId.newBuilder().setLocation(location).build();
    Duration wait = settings.queryTimeout();
    Future<TableResult> result =
        waits.submit(() -> jobId == null ? bigquery.query(config) : bigquery.query(config, jobId));
    try {
      return result.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      result.cancel(true);
      throw BigQueryErrors.timedOut(what, wait, e);
    } catch (ExecutionException e) {
      throw queryFailure(what, e.getCause());
    } catch (InterruptedException e) {
      result.cancel(true);
      throw BigQueryErrors.interrupted(what, e);
    }
  }

  private static RuntimeException queryFailure(String what, Throwable cause) {
    if (cause instanceof BigQueryException e) {
      return BigQueryErrors.map(what, e);
    }
    if (cause instanceof JobException e) {
      return BigQueryErrors.map(what, e);
    }
    if (cause instanceof InterruptedException e) {
      return BigQueryErrors.interrupted(what, e);
    }
    if (cause instanceof RuntimeException e) {
      return e;
    }
    return new WarehouseException(Kind.TRANSIENT, what + " failed: " + cause, cause);
  }

  /** Runs one client call, its failure classified. */
  static <T> T call(String what, Supplier<T> action) {
    try {
      return action.get();
    } catch (BigQueryException e) {
      throw BigQueryErrors.map(what, e);
    }
  }

  @Override
  public void close() {
    waits.shutdownNow();
  }
}
