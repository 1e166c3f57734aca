package dev.orgprovisioner.testing;

import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Wraps a real warehouse and injects faults: a share of transient errors, a permanent error on
 * chosen steps, a one-time failure of the next row write to a table (before or after it landed),
 * writes acknowledged but lost, and a fixed delay per metadata call. Counts calls.
 */
public final class FaultyWarehouse implements Warehouse {

  private final Warehouse delegate;
  private volatile double transientRate;
  private volatile Duration delay = Duration.ZERO;
  private final AtomicReference<Predicate<PlanStep>> permanentOn =
      new AtomicReference<>(s -> false);
  private final Map<String, Boolean> failNextUpsert = new ConcurrentHashMap<>();
  private final Set<String> losesUpserts = ConcurrentHashMap.newKeySet();
  private volatile boolean hidesViewSql;
  public final AtomicInteger calls = new AtomicInteger();
  public final AtomicInteger injected = new AtomicInteger();
  public final AtomicInteger metadataCalls = new AtomicInteger();

  /**
   * Calls that change something: plan steps, dataset deletions and undeletions, access changes, row
   * writes.
   */
  public final AtomicInteger writes = new AtomicInteger();

  /** Each selectRows call: table and the columns it looked up by, e.g. {@code t [a, b]}. */
  public final List<String> lookups = java.util.Collections.synchronizedList(new ArrayList<>());

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

  /**
   * The next row write to {@code table} fails transiently, once: before it is written, or after it
   * landed (the answer is lost).
   */
  public FaultyWarehouse failNextUpsertOf(String table, boolean afterWrite) {
    failNextUpsert.put(table, afterWrite);
    return this;
  }

  /** Row writes to {@code table} are acknowledged but never land (null: none). */
  public FaultyWarehouse loseUpsertsOf(String table) {
    losesUpserts.clear();
    if (table != null) {
      losesUpserts.add(table);
    }
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

  private WarehouseException injectedTransient(String what) {
    injected.incrementAndGet();
    return new WarehouseException(
        WarehouseException.Kind.TRANSIENT, "injected transient failure in " + what);
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
    before("freshSnapshot", true);
    Optional<ObservedDataset> observed = delegate.freshSnapshot(dataset);
    return hidesViewSql ? observed.map(FaultyWarehouse::withoutViewSql) : observed;
  }

  /**
   * Fresh snapshots show views without their SQL (a metadata read that does not echo it), so only
   * labels and descriptions say whether a view is up to date.
   */
  public FaultyWarehouse hideViewSql(boolean hide) {
    this.hidesViewSql = hide;
    return this;
  }

  private static ObservedDataset withoutViewSql(ObservedDataset d) {
    Map<String, dev.orgprovisioner.plan.ObservedView> views = new java.util.HashMap<>();
    d.views()
        .forEach(
            (k, v) ->
                views.put(
                    k,
                    new dev.orgprovisioner.plan.ObservedView(
                        v.name(), v.description(), v.labels(), null)));
    return new ObservedDataset(
        d.name(), d.description(), d.location(), d.labels(), d.settings(), d.tables(), views);
  }

  @Override
  public Map<String, ObservedDataset> bulkSnapshot(Collection<String> datasets) {
    before("bulkSnapshot", true);
    return delegate.bulkSnapshot(datasets);
  }

  @Override
  public List<String> managedDatasets() {
    before("managedDatasets", true);
    return delegate.managedDatasets();
  }

  @Override
  public void apply(PlanStep step) {
    writes.incrementAndGet();
    before(step.describe(), true);
    if (permanentOn.get().test(step)) {
      injected.incrementAndGet();
      throw new WarehouseException(
          WarehouseException.Kind.PERMANENT, "injected permanent failure in " + step.describe());
    }
    delegate.apply(step);
  }

  @Override
  public void deleteDataset(String dataset) {
    writes.incrementAndGet();
    before("delete dataset " + dataset, true);
    delegate.deleteDataset(dataset);
  }

  @Override
  public void undeleteDataset(String dataset) {
    writes.incrementAndGet();
    before("undelete dataset " + dataset, true);
    delegate.undeleteDataset(dataset);
  }

  @Override
  public List<AccessEntry> accessEntries(String dataset) {
    before("access of " + dataset, true);
    return delegate.accessEntries(dataset);
  }

  @Override
  public void changeAccess(
      String dataset, Collection<AccessEntry> grant, Collection<AccessEntry> revoke) {
    writes.incrementAndGet();
    before("change access of " + dataset, true);
    delegate.changeAccess(dataset, grant, revoke);
  }

  @Override
  public List<String> authorizedDatasets(String dataset) {
    before("authorized datasets of " + dataset, true);
    return delegate.authorizedDatasets(dataset);
  }

  @Override
  public void changeAuthorizedDatasets(
      String dataset, Collection<String> authorize, Collection<String> revoke) {
    writes.incrementAndGet();
    before("change authorized datasets of " + dataset, true);
    delegate.changeAuthorizedDatasets(dataset, authorize, revoke);
  }

  @Override
  public void insertRows(String dataset, String table, List<Map<String, Object>> rows) {
    writes.incrementAndGet();
    before("insert");
    delegate.insertRows(dataset, table, rows);
  }

  @Override
  public void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {
    writes.incrementAndGet();
    before("upsert");
    Boolean afterWrite = failNextUpsert.remove(table);
    if (Boolean.FALSE.equals(afterWrite)) {
      throw injectedTransient("upsert into " + table + " (nothing written)");
    }
    if (!losesUpserts.contains(table)) {
      delegate.upsertRows(dataset, table, keyColumns, rows);
    }
    if (Boolean.TRUE.equals(afterWrite)) {
      throw injectedTransient("upsert into " + table + " (written, answer lost)");
    }
  }

  @Override
  public List<Map<String, Object>> selectRows(
      String dataset, String table, Map<String, Object> equalTo, int limit) {
    before("select");
    lookups.add(table + " " + equalTo.keySet());
    return delegate.selectRows(dataset, table, equalTo, limit);
  }
}
