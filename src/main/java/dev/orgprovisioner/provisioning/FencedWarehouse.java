package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.execution.JobFence;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.ForwardingWarehouse;
import dev.orgprovisioner.warehouse.Warehouse;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Checks the lease of the job the calling thread works for before every warehouse call that changes
 * something, so a job that lost its lease (or ran out of time) stops before its next side effect.
 * Calls outside jobs (status, dry runs) pass unchecked.
 */
public final class FencedWarehouse extends ForwardingWarehouse {

  private final Clock clock;

  public FencedWarehouse(Warehouse delegate, Clock clock) {
    super(delegate);
    this.clock = clock;
  }

  @Override
  public void apply(PlanStep step) {
    JobFence.check(clock);
    delegate.apply(step);
  }

  @Override
  public void applyAll(List<PlanStep> steps) {
    JobFence.check(clock);
    delegate.applyAll(steps);
  }

  @Override
  public void deleteDataset(String dataset) {
    JobFence.check(clock);
    delegate.deleteDataset(dataset);
  }

  @Override
  public void undeleteDataset(String dataset) {
    JobFence.check(clock);
    delegate.undeleteDataset(dataset);
  }

  @Override
  public void changeAccess(
      String dataset, Collection<AccessEntry> grant, Collection<AccessEntry> revoke) {
    JobFence.check(clock);
    delegate.changeAccess(dataset, grant, revoke);
  }

  @Override
  public void changeAuthorizedDatasets(
      String dataset, Collection<String> authorize, Collection<String> revoke) {
    JobFence.check(clock);
    delegate.changeAuthorizedDatasets(dataset, authorize, revoke);
  }

  @Override
  public void insertRows(String dataset, String table, List<Map<String, Object>> rows) {
    JobFence.check(clock);
    delegate.insertRows(dataset, table, rows);
  }

  @Override
  public void upsertAll(String dataset, List<TableRows> tables) {
    JobFence.check(clock);
    delegate.upsertAll(dataset, tables);
  }

  @Override
  public void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {
    JobFence.check(clock);
    delegate.upsertRows(dataset, table, keyColumns, rows);
  }
}
