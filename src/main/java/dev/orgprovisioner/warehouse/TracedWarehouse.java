package dev.orgprovisioner.warehouse;

import dev.orgprovisioner.execution.JobFence;
import dev.orgprovisioner.execution.JobLease;
import dev.orgprovisioner.execution.port.Tracing;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.PlanStep;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A span per warehouse call of a job, with the org and job id of the job the calling thread works
 * for. Calls outside a job (the audit spool's drain, readiness checks) start no trace of their own.
 */
public final class TracedWarehouse extends ForwardingWarehouse {

  private final Tracing tracing;

  public TracedWarehouse(Warehouse delegate, Tracing tracing) {
    super(delegate);
    this.tracing = tracing;
  }

  @Override
  public Optional<ObservedDataset> freshSnapshot(String dataset) {
    return traced("freshSnapshot", dataset, () -> delegate.freshSnapshot(dataset));
  }

  @Override
  public boolean datasetExists(String dataset) {
    return traced("datasetExists", dataset, () -> delegate.datasetExists(dataset));
  }

  @Override
  public Map<String, ObservedDataset> bulkSnapshot(Collection<String> datasets) {
    return traced("bulkSnapshot", null, () -> delegate.bulkSnapshot(datasets));
  }

  @Override
  public List<String> managedDatasets() {
    return traced("managedDatasets", null, delegate::managedDatasets);
  }

  @Override
  public void apply(PlanStep step) {
    run("apply " + step.getClass().getSimpleName(), step.dataset(), () -> delegate.apply(step));
  }

  /** Forwarded whole, one span: an engine with transactional DDL applies the plan at once. */
  @Override
  public void applyAll(List<PlanStep> steps) {
    run(
        "applyAll (" + steps.size() + " steps)",
        steps.isEmpty() ? null : steps.get(0).dataset(),
        () -> delegate.applyAll(steps));
  }

  @Override
  public void deleteDataset(String dataset) {
    run("deleteDataset", dataset, () -> delegate.deleteDataset(dataset));
  }

  @Override
  public void undeleteDataset(String dataset) {
    run("undeleteDataset", dataset, () -> delegate.undeleteDataset(dataset));
  }

  @Override
  public List<AccessEntry> accessEntries(String dataset) {
    return traced("accessEntries", dataset, () -> delegate.accessEntries(dataset));
  }

  @Override
  public void changeAccess(
      String dataset, Collection<AccessEntry> grant, Collection<AccessEntry> revoke) {
    run("changeAccess", dataset, () -> delegate.changeAccess(dataset, grant, revoke));
  }

  @Override
  public List<String> authorizedDatasets(String dataset) {
    return traced("authorizedDatasets", dataset, () -> delegate.authorizedDatasets(dataset));
  }

  @Override
  public void changeAuthorizedDatasets(
      String dataset, Collection<String> authorize, Collection<String> revoke) {
    run(
        "changeAuthorizedDatasets",
        dataset,
        () -> delegate.changeAuthorizedDatasets(dataset, authorize, revoke));
  }

  @Override
  public void insertRows(String dataset, String table, List<Map<String, Object>> rows) {
    run("insertRows " + table, dataset, () -> delegate.insertRows(dataset, table, rows));
  }

  @Override
  public void upsertAll(String dataset, List<TableRows> tables) {
    run(
        "upsertAll (" + tables.size() + " tables)",
        dataset,
        () -> delegate.upsertAll(dataset, tables));
  }

  @Override
  public void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {
    run(
        "upsertRows " + table,
        dataset,
        () -> delegate.upsertRows(dataset, table, keyColumns, rows));
  }

  @Override
  public List<Map<String, Object>> selectRows(
      String dataset, String table, Map<String, Object> equalTo, int limit) {
    return traced(
        "selectRows " + table, dataset, () -> delegate.selectRows(dataset, table, equalTo, limit));
  }

  private void run(String operation, String dataset, Runnable call) {
    traced(
        operation,
        dataset,
        () -> {
          call.run();
          return null;
        });
  }

  private <T> T traced(String operation, String dataset, Supplier<T> call) {
    Optional<JobLease> lease = JobFence.current();
    if (lease.isEmpty()) {
      return call.get();
    }
    try (Tracing.Span span =
        tracing.warehouseCall(
            operation, dataset, lease.get().orgSlug().orElse(null), lease.get().jobId())) {
      try {
        return call.get();
      } catch (RuntimeException e) {
        span.failed(e.getClass().getSimpleName());
        throw e;
      }
    }
  }
}
