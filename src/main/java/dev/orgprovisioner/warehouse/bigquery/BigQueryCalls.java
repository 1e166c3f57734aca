package dev.orgprovisioner.warehouse.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQuery.QueryResultsOption;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.JobException;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;
import dev.orgprovisioner.execution.JobFence;
import dev.orgprovisioner.warehouse.Identifiers;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The BigQuery client of one project: bounded, labelled GoogleSQL query jobs and classified call
 * failures. Every other call is bounded by the HTTP connect and read timeouts (call timeout).
 */
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

  /**
   * A pool of {@code n} threads whose tasks run for the job of the thread that submitted them, so
   * the queries they start carry that job's labels.
   */
  static ExecutorService forCallers(int n, ThreadFactory threads) {
    return new ThreadPoolExecutor(
        n, n, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threads) {
      @Override
      public void execute(Runnable task) {
        super.execute(JobFence.propagating(task));
      }
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

  /**
   * Runs one GoogleSQL query job, bounded three ways: BigQuery bills at most the maximum bytes and
   * stops the job after the query timeout (jobTimeoutMs), and the worker waits no longer than that
   * either. The job carries the labels of the job the calling thread works for ({@link JobLabels}).
   */
  TableResult query(
      String what, String sql, String location, Map<String, QueryParameterValue> params) {
    return query(what, sql, location, params, JobLabels.current(), settings.queryTimeout());
  }

  /**
   * As {@link #query(String, String, String, Map)}, with the given labels and a wait (and job
   * timeout) of {@code wait}: a statement run for several callers carries their common labels and
   * ends before the first of them gives up.
   */
  TableResult query(
      String what,
      String sql,
      String location,
      Map<String, QueryParameterValue> params,
      Map<String, String> labels,
      Duration wait) {
    QueryJobConfiguration config =
        QueryJobConfiguration.newBuilder(sql)
            .setUseLegacySql(false)
            .setMaximumBytesBilled(settings.maximumBytesBilled())
            .setNamedParameters(params)
            .setLabels(labels)
            // The server-side twin of the wait below: a write abandoned by the worker cannot land
            // later, after its job's lease. The client sends no job timeout on its one-request
            // jobs.query path, so this runs as jobs.insert and polling.
            .setJobTimeoutMs(wait.toMillis())
            .build();
    JobId.Builder id = JobId.newBuilder().setRandomJob();
    if (location != null) {
      id.setLocation(location);
    }
    JobInfo job = JobInfo.of(id.build(), config);
    Future<TableResult> result =
        waits.submit(
            () ->
                bigquery
                    .create(job)
                    // Each poll returns before the HTTP read timeout would cut it.
                    .getQueryResults(
                        QueryResultsOption.maxWaitTime(settings.callTimeout().toMillis() / 2)));
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

  /** The result of {@code f}; a failure comes out as the exception the task threw. */
  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
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
