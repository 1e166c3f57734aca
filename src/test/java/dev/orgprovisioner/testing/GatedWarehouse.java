package dev.orgprovisioner.testing;

import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A real warehouse whose snapshots of a gated dataset wait until the test opens the gate: a job
 * "stuck in a slow warehouse call". An interrupted wait fails the call permanently.
 */
public final class GatedWarehouse implements Warehouse {

  private final Warehouse delegate;
  private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> arrived = new ConcurrentHashMap<>();

  public GatedWarehouse(Warehouse delegate) {
    this.delegate = delegate;
  }

  /** Snapshots that include {@code dataset} wait from now on until {@link #open}. */
  public void close(String dataset) {
    gates.put(dataset, new CountDownLatch(1));
    arrived.put(dataset, new CountDownLatch(1));
  }

  public void open(String dataset) {
    gates.get(dataset).countDown();
  }

  /** True once a call reached the closed gate of {@code dataset}. */
  public boolean waitingAt(String dataset) {
    return arrived.get(dataset).getCount() == 0;
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
    await(dataset);
    return delegate.freshSnapshot(dataset);
  }

  @Override
  public Map<String, ObservedDataset> bulkSnapshot(Collection<String> datasets) {
    datasets.forEach(this::await);
    return delegate.bulkSnapshot(datasets);
  }

  private void await(String dataset) {
    CountDownLatch gate = gates.get(dataset);
    if (gate != null) {
      arrived.get(dataset).countDown();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WarehouseException(
            WarehouseException.Kind.PERMANENT, "interrupted while waiting for " + dataset);
      }
    }
  }

  @Override
  public List<String> managedDatasets() {
    return delegate.managedDatasets();
  }

  @Override
  public void apply(PlanStep step) {
    delegate.apply(step);
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
    delegate.insertRows(dataset, table, rows);
  }

  @Override
  public void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {
    delegate.upsertRows(dataset, table, keyColumns, rows);
  }

  @Override
  public List<Map<String, Object>> selectRows(
      String dataset, String table, Map<String, Object> equalTo, int limit) {
    return delegate.selectRows(dataset, table, equalTo, limit);
  }
}
