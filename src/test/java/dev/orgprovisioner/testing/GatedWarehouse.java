package dev.orgprovisioner.testing;

import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.warehouse.ForwardingWarehouse;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A real warehouse whose snapshots of a gated dataset wait until the test opens the gate: a job
 * "stuck in a slow warehouse call". An interrupted wait fails the call permanently.
 */
public final class GatedWarehouse extends ForwardingWarehouse {

  private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> arrived = new ConcurrentHashMap<>();

  public GatedWarehouse(Warehouse delegate) {
    super(delegate);
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
  public Optional<ObservedDataset> freshSnapshot(String dataset) {
    await(dataset);
    return delegate.freshSnapshot(dataset);
  }

  @Override
  public boolean datasetExists(String dataset) {
    await(dataset);
    return delegate.datasetExists(dataset);
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
}
