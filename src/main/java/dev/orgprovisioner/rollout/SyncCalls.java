package dev.orgprovisioner.rollout;

import java.util.Map;
import java.util.TreeMap;

/**
 * The BigQuery API calls one org's sync would make, as far as BigQuery's rate limits count them.
 *
 * @param byMethod REST method (e.g. {@code tables.patch}) to number of calls
 * @param datasetUpdates dataset metadata updates ({@code datasets.insert}, {@code datasets.patch})
 * @param maxTableUpdates the most metadata updates on any one table or view of the org
 */
public record SyncCalls(Map<String, Integer> byMethod, int datasetUpdates, int maxTableUpdates) {

  public static final SyncCalls NONE = new SyncCalls(Map.of(), 0, 0);

  public SyncCalls {
    byMethod = Map.copyOf(byMethod);
  }

  public int calls(String method) {
    return byMethod.getOrDefault(method, 0);
  }

  /** Calls of two syncs together, by method (the per-dataset and per-table maxima are kept). */
  public SyncCalls plus(SyncCalls other) {
    Map<String, Integer> sum = new TreeMap<>(byMethod);
    other.byMethod.forEach((method, n) -> sum.merge(method, n, Integer::sum));
    return new SyncCalls(
        sum,
        Math.max(datasetUpdates, other.datasetUpdates),
        Math.max(maxTableUpdates, other.maxTableUpdates));
  }
}
