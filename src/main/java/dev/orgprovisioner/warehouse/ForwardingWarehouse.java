package dev.orgprovisioner.warehouse;

import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.PlanStep;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A warehouse that hands every call to another: decorators override only what they change. */
public abstract class ForwardingWarehouse implements Warehouse {

  protected final Warehouse delegate;

  protected ForwardingWarehouse(Warehouse delegate) {
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
  public boolean datasetExists(String dataset) {
    return delegate.datasetExists(dataset);
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
    delegate.apply(step);
  }

  /** Forwarded; {@link #applyAll} is not, so a decorator's own {@link #apply} sees every step. */
  @Override
  public boolean transactionalDdl() {
    return delegate.transactionalDdl();
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
  public List<AccessEntry> accessEntries(String dataset) {
    return delegate.accessEntries(dataset);
  }

  @Override
  public void changeAccess(
      String dataset, Collection<AccessEntry> grant, Collection<AccessEntry> revoke) {
    delegate.changeAccess(dataset, grant, revoke);
  }

  @Override
  public List<String> authorizedDatasets(String dataset) {
    return delegate.authorizedDatasets(dataset);
  }

  @Override
  public void changeAuthorizedDatasets(
      String dataset, Collection<String> authorize, Collection<String> revoke) {
    delegate.changeAuthorizedDatasets(dataset, authorize, revoke);
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
