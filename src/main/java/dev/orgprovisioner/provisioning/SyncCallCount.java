package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.rollout.SyncCalls;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The BigQuery API calls a sync makes for a plan, as the BigQuery adapter makes them: the fresh
 * read ({@code datasets.get}, {@code tables.list}, one {@code tables.get} per table and view), then
 * per step: a dataset create or patch; a {@code tables.insert} per new table; a {@code tables.get}
 * and a {@code tables.patch} per schema or option change; a {@code tables.insert} per view, and a
 * {@code tables.patch} after it when the view exists. Queries (profile, central rows, audit) are
 * not counted: no metadata rate limit applies to them.
 */
final class SyncCallCount {

  private SyncCallCount() {}

  static SyncCalls of(List<PlanStep> steps, Optional<ObservedDataset> observed) {
    Map<String, Integer> calls = new TreeMap<>();
    Map<String, Integer> perTable = new HashMap<>();
    int datasetUpdates = 0;
    calls.put("datasets.get", 1);
    if (observed.isPresent()) {
      calls.put("tables.list", 1);
      int objects = observed.get().tables().size() + observed.get().views().size();
      if (objects > 0) {
        calls.put("tables.get", objects);
      }
    }
    for (PlanStep step : steps) {
      if (step instanceof PlanStep.CreateDataset) {
        calls.merge("datasets.insert", 1, Integer::sum);
        datasetUpdates++;
      } else if (step instanceof PlanStep.UpdateDataset) {
        calls.merge("datasets.patch", 1, Integer::sum);
        datasetUpdates++;
      } else if (step instanceof PlanStep.CreateTable s) {
        calls.merge("tables.insert", 1, Integer::sum);
        perTable.merge(s.table().name(), 1, Integer::sum);
      } else if (step instanceof PlanStep.CreateOrReplaceView s) {
        calls.merge("tables.insert", 1, Integer::sum);
        perTable.merge(s.view().name(), 1, Integer::sum);
        if (observed.map(o -> o.views().containsKey(s.view().name())).orElse(false)) {
          calls.merge("tables.patch", 1, Integer::sum);
          perTable.merge(s.view().name(), 1, Integer::sum);
        }
      } else {
        calls.merge("tables.get", 1, Integer::sum);
        calls.merge("tables.patch", 1, Integer::sum);
        perTable.merge(tableOf(step), 1, Integer::sum);
      }
    }
    int busiest = perTable.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    return new SyncCalls(calls, datasetUpdates, busiest);
  }

  /** The step kind as the dry run names it: {@code add_columns}, {@code create_table}, … */
  static String kind(PlanStep step) {
    return step.getClass()
        .getSimpleName()
        .replaceAll("([a-z])([A-Z])", "$1_$2")
        .toLowerCase(java.util.Locale.ROOT);
  }

  private static String tableOf(PlanStep step) {
    if (step instanceof PlanStep.AddColumns s) {
      return s.table();
    }
    if (step instanceof PlanStep.RelaxColumns s) {
      return s.table();
    }
    return ((PlanStep.UpdateTableOptions) step).table().name();
  }
}
