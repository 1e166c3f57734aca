package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.Warehouse;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A warehouse that reads and refuses every write: what planning and dry runs see, so no code on
 * their path can change anything, whatever it calls.
 */
final class ReadOnlyWarehouse implements Warehouse {

  private final Warehouse delegate;

  ReadOnlyWarehouse(Warehouse delegate) {
    this.delegate = delegate;
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
    return delegate.freshSnapshot(dataset);
  }

  @Override
  public Map<String, ObservedDataset> bulkSnapshot(Collection<String> datasets) {
    return delegate.bulkSnapshot(datasets);
  }

  @Override
  public List<String> managedDatasets() {
    return delegate.managedDatasets();
  }

  @Override
  public void apply(PlanStep step) {
    throw refused(step.describe());
  }

  @Override
  public void deleteDataset(String dataset) {
    throw refused("delete dataset " + dataset);
  }

  @Override
  public void undeleteDataset(String dataset) {
    throw refused("undelete dataset " + dataset);
  }

  @Override
  public List<AccessEntry> accessEntries(String dataset) {
    return delegate.accessEntries(dataset);
  }

  @Override
  public void changeAccess(
      String dataset, Collection<AccessEntry> grant, Collection<AccessEntry> revoke) {
    throw refused("change the access list of " + dataset);
  }

  @Override
  public void insertRows(String dataset, String table, List<Map<String, Object>> rows) {
    throw refused("insert into " + dataset + "." + table);
  }

  @Override
  public void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {
    throw refused("upsert into " + dataset + "." + table);
  }

  @Override
  public List<Map<String, Object>> selectRows(
      String dataset, String table, Map<String, Object> equalTo, int limit) {
    return delegate.selectRows(dataset, table, equalTo, limit);
  }

  private static IllegalStateException refused(String what) {
    return new IllegalStateException("read-only warehouse: refused to " + what);
  }
}
