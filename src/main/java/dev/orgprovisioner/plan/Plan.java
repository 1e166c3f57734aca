package dev.orgprovisioner.plan;

import java.util.List;

/** The ordered steps that bring a dataset in line with the catalog, and the full drift report. */
public record Plan(String dataset, List<PlanStep> steps, List<Difference> differences) {

  public Plan {
    steps = List.copyOf(steps);
    differences = List.copyOf(differences);
  }

  public boolean isNoop() {
    return steps.isEmpty();
  }

  public List<Difference> differences(Classification classification) {
    return differences.stream().filter(d -> d.classification() == classification).toList();
  }

  /** SYNCED unless an additive or non-additive difference exists; extra objects do not count. */
  public SyncStatus status() {
    boolean drifted =
        differences.stream().anyMatch(d -> d.classification() != Classification.INFORMATIONAL);
    return drifted ? SyncStatus.OUT_OF_SYNC : SyncStatus.SYNCED;
  }
}
