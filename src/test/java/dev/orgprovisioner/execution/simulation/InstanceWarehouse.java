package dev.orgprovisioner.execution.simulation;

import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.execution.JobFence;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.Warehouse;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One instance's client of the shared {@link RecordingWarehouse}: dataset steps and keyed central
 * rows, each one recorded call. (The runner reaches it through the real {@code FencedWarehouse}.)
 */
final class InstanceWarehouse implements Warehouse {

  static final String CENTRAL = "organizations";

  private final SimInstance instance;
  private final RecordingWarehouse shared;

  InstanceWarehouse(SimInstance instance, RecordingWarehouse shared) {
    this.instance = instance;
    this.shared = shared;
  }

  static String datasetOf(String org) {
    return "org_" + org;
  }

  @Override
  public Dialect dialect() {
    return Dialect.BIGQUERY;
  }

  @Override
  public String viewSql(PlanStep.CreateOrReplaceView view) {
    throw new UnsupportedOperationException("the simulation reads rows, not snapshots");
  }

  @Override
  public Optional<ObservedDataset> freshSnapshot(String dataset) {
    throw new UnsupportedOperationException("the simulation reads rows, not snapshots");
  }

  @Override
  public Map<String, ObservedDataset> bulkSnapshot(Collection<String> datasets) {
    throw new UnsupportedOperationException("the simulation reads rows, not snapshots");
  }

  @Override
  public List<String> managedDatasets() {
    throw new UnsupportedOperationException("not simulated");
  }

  @Override
  public void apply(PlanStep step) {
    String org = step.dataset().substring("org_".length());
    shared.call(
        instance,
        step.describe(),
        org,
        () -> {
          if (step instanceof PlanStep.CreateDataset) {
            shared.createDataset(step.dataset());
          } else {
            shared.updateDataset(step.dataset());
          }
          return null;
        });
  }

  @Override
  public void deleteDataset(String dataset) {
    throw new UnsupportedOperationException("the simulation never offboards");
  }

  @Override
  public void undeleteDataset(String dataset) {
    throw new UnsupportedOperationException("the simulation never offboards");
  }

  @Override
  public List<AccessEntry> accessEntries(String dataset) {
    throw new UnsupportedOperationException("the simulation grants no access");
  }

  @Override
  public void changeAccess(
      String dataset, Collection<AccessEntry> grant, Collection<AccessEntry> revoke) {
    throw new UnsupportedOperationException("the simulation grants no access");
  }

  @Override
  public List<String> authorizedDatasets(String dataset) {
    throw new UnsupportedOperationException("the simulation authorizes no dataset");
  }

  @Override
  public void changeAuthorizedDatasets(
      String dataset, Collection<String> authorize, Collection<String> revoke) {
    throw new UnsupportedOperationException("the simulation authorizes no dataset");
  }

  @Override
  public void insertRows(String dataset, String table, List<Map<String, Object>> rows) {
    throw new UnsupportedOperationException("central rows are written keyed");
  }

  @Override
  public void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {
    String org = (String) rows.get(0).get("org_slug");
    var lease = JobFence.current().orElseThrow().lease();
    shared.call(
        instance,
        "upsert " + rows.size() + " row(s) into " + table,
        org,
        () -> {
          for (Map<String, Object> row : rows) {
            String key = String.valueOf(row.get(keyColumns.get(0)));
            shared.upsert(
                table, key, new RecordingWarehouse.Row(org, lease.jobId(), lease.epoch(), row));
          }
          return null;
        });
  }

  @Override
  public List<Map<String, Object>> selectRows(
      String dataset, String table, Map<String, Object> equalTo, int limit) {
    String org = (String) equalTo.get("org_slug");
    return shared.call(
        instance,
        "select from " + table,
        org,
        () ->
            shared.rows(table, org).values().stream()
                .map(RecordingWarehouse.Row::values)
                .limit(limit)
                .toList());
  }
}
