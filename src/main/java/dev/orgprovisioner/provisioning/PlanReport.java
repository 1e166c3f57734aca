package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.plan.Classification;
import dev.orgprovisioner.plan.Difference;
import dev.orgprovisioner.plan.Plan;
import dev.orgprovisioner.plan.SyncStatus;
import java.util.List;

/**
 * A plan and drift report in the shape shown to people and put in events: status, steps as text,
 * differences grouped by classification.
 */
public record PlanReport(
    String dataset,
    SyncStatus status,
    List<String> steps,
    List<Difference> additive,
    List<Difference> nonAdditive,
    List<Difference> informational) {

  /** The report for an org that was never onboarded: nothing to plan. */
  public static PlanReport notFound(String dataset) {
    return new PlanReport(
        dataset, SyncStatus.NOT_FOUND, List.of(), List.of(), List.of(), List.of());
  }

  public static PlanReport of(Plan plan) {
    return new PlanReport(
        plan.dataset(),
        plan.status(),
        plan.steps().stream().map(s -> s.describe()).toList(),
        plan.differences(Classification.ADDITIVE),
        plan.differences(Classification.NON_ADDITIVE),
        plan.differences(Classification.INFORMATIONAL));
  }
}
