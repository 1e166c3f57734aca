package dev.orgprovisioner.bench;

import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.Warehouse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A latency model of a remote warehouse for benchmarks: every metadata call (snapshot, listing,
 * plan step) costs a fixed delay; in serial mode only one metadata call runs at a time in the whole
 * worker, which is strictly sequential provisioning. Counts metadata calls.
 */
public final class LatencyWarehouse implements Warehouse {

  private final Warehouse delegate;
  private final ReentrantLock oneAtATime = new ReentrantLock(true);
  private volatile Duration delay = Duration.ZERO;
  private volatile boolean serial;
  public final AtomicInteger metadataCalls = new AtomicInteger();

  public LatencyWarehouse(Warehouse delegate) {
    this.delegate = delegate;
  }

  public LatencyWarehouse delay(Duration d) {
    this.delay = d;
    return this;
  }

  public LatencyWarehouse serial(boolean serial) {
    this.serial = serial;
    return this;
  }

  private <T> T metadata(java.util.function.Supplier<T> call) {
    metadataCalls.incrementAndGet();
    boolean locked = serial;
    if (locked) {
      oneAtATime.lock();
    }
    try {
      if (!delay.isZero()) {
        // A latency model, not a wait for a condition: every call costs this much.
        LockSupport.parkNanos(delay.toNanos());
      }
      return call.get();
    } finally {
      if (locked) {
        oneAtATime.unlock();
      }
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
    return metadata(() -> delegate.freshSnapshot(dataset));
  }

  @Override
  public Map<String, ObservedDataset> bulkSnapshot(Collection<String> datasets) {
    return metadata(() -> delegate.bulkSnapshot(datasets));
  }

  @Override
  public List<String> managedDatasets() {
    return metadata(delegate::managedDatasets);
  }

  @Override
  public void apply(PlanStep step) {
    metadata(
        () -> {
          delegate.apply(step);
          return null;
        });
  }

  @Override
  public void deleteDataset(String dataset) {
    metadata(
        () -> {
          delegate.deleteDataset(dataset);
          return null;
        });
  }

  @Override
  public void undeleteDataset(String dataset) {
    metadata(
        () -> {
          delegate.undeleteDataset(dataset);
          return null;
        });
  }

  @Override
  public List<AccessEntry> accessEntries(String dataset) {
    return metadata(() -> delegate.accessEntries(dataset));
  }

  @Override
  public void changeAccess(
      String dataset, Collection<AccessEntry> grant, Collection<AccessEntry> revoke) {
    metadata(
        () -> {
          delegate.changeAccess(dataset, grant, revoke);
          return null;
        });
  }

  @Override
  public List<String> authorizedDatasets(String dataset) {
    return metadata(() -> delegate.authorizedDatasets(dataset));
  }

  @Override
  public void changeAuthorizedDatasets(
      String dataset, Collection<String> authorize, Collection<String> revoke) {
    metadata(
        () -> {
          delegate.changeAuthorizedDatasets(dataset, authorize, revoke);
          return null;
        });
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
