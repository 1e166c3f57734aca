package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.ForwardingWarehouse;
import dev.orgprovisioner.warehouse.Warehouse;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A warehouse that reads and refuses every write: what planning and dry runs see, so no code on
 * their path can change anything, whatever it calls.
 */
final class ReadOnlyWarehouse extends ForwardingWarehouse {

  ReadOnlyWarehouse(Warehouse delegate) {
    super(delegate);
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
  public void changeAccess(
      String dataset, Collection<AccessEntry> grant, Collection<AccessEntry> revoke) {
    throw refused("change the access list of " + dataset);
  }

  @Override
  public void changeAuthorizedDatasets(
      String dataset, Collection<String> authorize, Collection<String> revoke) {
    throw refused("change the authorized datasets of " + dataset);
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

  private static IllegalStateException refused(String what) {
    return new IllegalStateException("read-only warehouse: refused to " + what);
  }
}
