package dev.orgprovisioner.warehouse;

import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.execution.Backoff;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.PlanStep;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Retries transient warehouse failures (rate limits, 5xx, timeouts) of single calls with
 * exponential backoff and jitter, within a small budget. Longer outages surface to the job, which
 * the queue retries later. Every step is idempotent, so a retried call is safe.
 */
public final class RetryingWarehouse implements Warehouse {

  private final Warehouse delegate;
  private final int maxAttempts;
  private final Backoff backoff;
  private final AtomicLong retries = new AtomicLong();
  private final Observer observer;

  /** Sees every call attempt, failure and retry (the application counts them in metrics). */
  public interface Observer {
    /** Records nothing. */
    Observer NONE = new Observer() {};

    /** One attempt of a warehouse call of this operation. */
    default void call(String operation) {}

    /** One failed attempt, by the failure's kind. */
    default void error(String operation, WarehouseException.Kind kind) {}

    /** A transient failure is retried. */
    default void retry(String operation) {}
  }

  public RetryingWarehouse(Warehouse delegate, int maxAttempts, Duration initialBackoff) {
    this(delegate, maxAttempts, initialBackoff, Observer.NONE);
  }

  public RetryingWarehouse(
      Warehouse delegate, int maxAttempts, Duration initialBackoff, Observer observer) {
    this.observer = observer;
    this.delegate = delegate;
    this.maxAttempts = Math.max(1, maxAttempts);
    // Doubling from the first wait, uncapped within the small attempt budget.
    this.backoff =
        new Backoff(
            initialBackoff, initialBackoff.multipliedBy(1L << Math.min(20, this.maxAttempts)));
  }

  /** Retries done so far (for metrics and benchmarks). */
  public long retries() {
    return retries.get();
  }

  private <T> T call(String operation, Supplier<T> action) {
    for (int attempt = 1; ; attempt++) {
      try {
        observer.call(operation);
        return action.get();
      } catch (WarehouseException e) {
        observer.error(operation, e.kind());
        if (!e.isTransient() || attempt >= maxAttempts) {
          throw e;
        }
        retries.incrementAndGet();
        observer.retry(operation);
        try {
          Thread.sleep(backoff.delay(attempt, ThreadLocalRandom.current()).toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private void run(String operation, Runnable action) {
    call(
        operation,
        () -> {
          action.run();
          return null;
        });
  }

  @Override
  public Dialect dialect() {
    return delegate.dialect();
  }

  @Override
  public String viewSql(PlanStep.CreateOrReplaceView view) {
    return delegate.viewSql(view);
  }

  @Override
  public boolean datasetExists(String dataset) {
    return call("dataset_exists", () -> delegate.datasetExists(dataset));
  }

  @Override
  public Optional<ObservedDataset> freshSnapshot(String dataset) {
    return call("fresh_snapshot", () -> delegate.freshSnapshot(dataset));
  }

  @Override
  public Map<String, ObservedDataset> bulkSnapshot(Collection<String> datasets) {
    return call("bulk_snapshot", () -> delegate.bulkSnapshot(datasets));
  }

  @Override
  public List<String> managedDatasets() {
    return call("managed_datasets", delegate::managedDatasets);
  }

  @Override
  public void apply(PlanStep step) {
    run("apply", () -> delegate.apply(step));
  }

  @Override
  public boolean transactionalDdl() {
    return delegate.transactionalDdl();
  }

  /** Retried whole: the steps are idempotent, and a transactional batch left nothing behind. */
  @Override
  public void applyAll(List<PlanStep> steps) {
    run("apply_plan", () -> delegate.applyAll(steps));
  }

  @Override
  public void deleteDataset(String dataset) {
    run("delete_dataset", () -> delegate.deleteDataset(dataset));
  }

  @Override
  public void undeleteDataset(String dataset) {
    // Not retried: a retry after a timeout that did undelete would meet the dataset (CONFLICT);
    // the caller reads the dataset back instead.
    observer.call("undelete_dataset");
    try {
      delegate.undeleteDataset(dataset);
    } catch (WarehouseException e) {
      observer.error("undelete_dataset", e.kind());
      throw e;
    }
  }

  @Override
  public List<AccessEntry> accessEntries(String dataset) {
    return call("access_entries", () -> delegate.accessEntries(dataset));
  }

  @Override
  public void changeAccess(
      String dataset, Collection<AccessEntry> grant, Collection<AccessEntry> revoke) {
    // A retry re-reads the list: adding what is there or removing what is gone changes nothing.
    run("change_access", () -> delegate.changeAccess(dataset, grant, revoke));
  }

  @Override
  public List<String> authorizedDatasets(String dataset) {
    return call("authorized_datasets", () -> delegate.authorizedDatasets(dataset));
  }

  @Override
  public void changeAuthorizedDatasets(
      String dataset, Collection<String> authorize, Collection<String> revoke) {
    // Like changeAccess: a retry re-reads the list.
    run(
        "change_authorized_datasets",
        () -> delegate.changeAuthorizedDatasets(dataset, authorize, revoke));
  }

  @Override
  public void insertRows(String dataset, String table, List<Map<String, Object>> rows) {
    // Appends are not idempotent: a retry after a timeout that did write would duplicate rows.
    observer.call("insert_rows");
    try {
      delegate.insertRows(dataset, table, rows);
    } catch (WarehouseException e) {
      observer.error("insert_rows", e.kind());
      throw e;
    }
  }

  @Override
  public void upsertAll(String dataset, List<TableRows> tables) {
    run("upsert_tables", () -> delegate.upsertAll(dataset, tables));
  }

  @Override
  public void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {
    run("upsert_rows", () -> delegate.upsertRows(dataset, table, keyColumns, rows));
  }

  @Override
  public List<Map<String, Object>> selectRows(
      String dataset, String table, Map<String, Object> equalTo, int limit) {
    return call("select_rows", () -> delegate.selectRows(dataset, table, equalTo, limit));
  }
}
