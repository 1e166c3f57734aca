package dev.orgprovisioner.testing;

import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Wraps a real warehouse and injects faults: a share of transient errors, a permanent error on
 * chosen steps, and a fixed delay per metadata call (snapshots and plan steps). Counts calls.
 */
public final class FaultyWarehouse implements Warehouse {

  private final Warehouse delegate;
  private volatile double transientRate;
  private volatile Duration delay = Duration.ZERO;
  private final AtomicReference<Predicate<PlanStep>> permanentOn =
      new AtomicReference<>(s -> false);
  public final AtomicInteger calls = new AtomicInteger();
  public final AtomicInteger injected = new AtomicInteger();
  public final AtomicInteger metadataCalls = new AtomicInteger();

  public FaultyWarehouse(Warehouse delegate) {
    this.delegate = delegate;
  }

  public FaultyWarehouse transientRate(double rate) {
    this.transientRate = rate;
    return this;
  }

  public FaultyWarehouse delay(Duration d) {
    this.delay = d;
    return this;
  }

  public FaultyWarehouse failPermanentlyOn(Predicate<PlanStep> which) {
    permanentOn.set(which);
    return this;
  }

  private void before(String what) {
    before(what, false);
  }

  private void before(String what, boolean metadata) {
    calls.incrementAndGet();
    if (metadata) {
      metadataCalls.incrementAndGet();
    }
    if (metadata && !delay.isZero()) {
      // A latency model, not a wait for a condition: every call costs this much.
      java.util.concurrent.locks.LockSupport.parkNanos(delay.toNanos());
    }
    if (transientRate > 0 && ThreadLocalRandom.current().nextDouble() < transientRate) {
      injected.incrementAndGet();
      throw new WarehouseException(
          WarehouseException.Kind.TRANSIENT, "injected transient failure in " + what);
    }
  }

  @Override
  public Dialect dialect() {
    return delegate.dialect();
  }

  @Override
  public Map<String, ObservedDataset> snapshot(Collection<String> datasets) {
    before("snapshot", true);
    return delegate.snapshot(datasets);
  }

  @Override
  public List<String> managedDatasets() {
    before("managedDatasets", true);
    return delegate.managedDatasets();
  }

  @Override
  public void apply(PlanStep step) {
    before(step.describe(), true);
    if (permanentOn.get().test(step)) {
      injected.incrementAndGet();
      throw new WarehouseException(
          WarehouseException.Kind.PERMANENT, "injected permanent failure in " + step.describe());
    }
    delegate.apply(step);
  }

  @Override
  public void insertRows(String dataset, String table, List<Map<String, Object>> rows) {
    before("insert");
    delegate.insertRows(dataset, table, rows);
  }

  @Override
  public void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {
    before("upsert");
    delegate.upsertRows(dataset, table, keyColumns, rows);
  }

  @Override
  public List<Map<String, Object>> selectRows(
      String dataset, String table, Map<String, Object> equalTo, int limit) {
    before("select");
    return delegate.selectRows(dataset, table, equalTo, limit);
  }
}
