package dev.orgprovisioner.bench;

import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.Warehouse;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A warehouse that adds up the time and count of every call by operation (plan steps by kind, row
 * writes by table): where one onboarding's time goes, without a profiler.
 */
final class TimedWarehouse implements Warehouse {

  /** Calls and their summed wall time (over all threads) of one operation. */
  record Totals(long calls, long nanos) {}

  private final Warehouse delegate;
  private final Map<String, LongAdder[]> totals = new ConcurrentHashMap<>();

  TimedWarehouse(Warehouse delegate) {
    this.delegate = delegate;
  }

  /** The totals so far, by operation name. */
  Map<String, Totals> totals() {
    Map<String, Totals> out = new TreeMap<>();
    totals.forEach((k, v) -> out.put(k, new Totals(v[0].sum(), v[1].sum())));
    return out;
  }

  void reset() {
    totals.clear();
  }

  private <T> T timed(String op, Supplier<T> call) {
    long t0 = System.nanoTime();
    try {
      return call.get();
    } finally {
      LongAdder[] t =
          totals.computeIfAbsent(op, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
      t[0].increment();
      t[1].add(System.nanoTime() - t0);
    }
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
  public Optional<ObservedDataset> freshSnapshot(String dataset) {
    return timed("freshSnapshot", () -> delegate.freshSnapshot(dataset));
  }

  @Override
  public boolean datasetExists(String dataset) {
    return timed("datasetExists", () -> delegate.datasetExists(dataset));
  }

  @Override
  public Map<String, ObservedDataset> bulkSnapshot(Collection<String> datasets) {
    return timed("bulkSnapshot", () -> delegate.bulkSnapshot(datasets));
  }

  @Override
  public List<String> managedDatasets() {
    return timed("managedDatasets", delegate::managedDatasets);
  }

  @Override
  public boolean transactionalDdl() {
    return delegate.transactionalDdl();
  }

  @Override
  public void applyAll(List<PlanStep> steps) {
    timed(
        "applyAll",
        () -> {
          delegate.applyAll(steps);
          return null;
        });
  }

  @Override
  public void upsertAll(String dataset, List<TableRows> tables) {
    timed(
        "upsertAll",
        () -> {
          delegate.upsertAll(dataset, tables);
          return null;
        });
  }

  @Override
  public void apply(PlanStep step) {
    timed(
        "apply " + step.getClass().getSimpleName(),
        () -> {
          delegate.apply(step);
          return null;
        });
  }

  @Override
  public List<AccessEntry> accessEntries(String dataset) {
    return timed("access entries", () -> delegate.accessEntries(dataset));
  }

  @Override
  public void changeAccess(
      String dataset, Collection<AccessEntry> grant, Collection<AccessEntry> revoke) {
    timed(
        "change access",
        () -> {
          delegate.changeAccess(dataset, grant, revoke);
          return null;
        });
  }

  @Override
  public List<String> authorizedDatasets(String dataset) {
    return timed("authorized datasets", () -> delegate.authorizedDatasets(dataset));
  }

  @Override
  public void changeAuthorizedDatasets(
      String dataset, Collection<String> authorize, Collection<String> revoke) {
    timed(
        "change authorized datasets",
        () -> {
          delegate.changeAuthorizedDatasets(dataset, authorize, revoke);
          return null;
        });
  }

  @Override
  public void deleteDataset(String dataset) {
    delegate.deleteDataset(dataset);
  }

  @Override
  public void undeleteDataset(String dataset) {
    delegate.undeleteDataset(dataset);
  }

  @Override
  public void insertRows(String dataset, String table, List<Map<String, Object>> rows) {
    timed(
        "insertRows " + table,
        () -> {
          delegate.insertRows(dataset, table, rows);
          return null;
        });
  }

  @Override
  public void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {
    timed(
        "upsertRows " + table,
        () -> {
          delegate.upsertRows(dataset, table, keyColumns, rows);
          return null;
        });
  }

  @Override
  public List<Map<String, Object>> selectRows(
      String dataset, String table, Map<String, Object> equalTo, int limit) {
    return timed("selectRows " + table, () -> delegate.selectRows(dataset, table, equalTo, limit));
  }
}
