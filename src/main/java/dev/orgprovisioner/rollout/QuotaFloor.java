package dev.orgprovisioner.rollout;

import java.time.Duration;
import java.util.List;

/**
 * The least time BigQuery's published rate limits allow for a wave's syncs, whatever the workers'
 * speed: each limit is a sliding window, so {@code n} calls under "{@code limit} per {@code
 * period}" need at least {@code (ceil(n / limit) - 1) * period}. The wave's floor is the largest
 * of: every REST method's calls at 100 per second; {@code tables.insert} at 10 per second; and the
 * orgs' own floors (table metadata updates 5 per 10 s per table, dataset metadata updates 5 per 10
 * s per dataset) run at most {@code max_concurrent_orgs} at once (their sum divided by it, and at
 * least the largest one).
 *
 * @param boundBy which limit sets the floor (empty when nothing has to wait)
 */
public record QuotaFloor(Duration minimum, String boundBy) {

  /** Requests per second per REST method (per user; the worker is one user). */
  public static final int PER_METHOD_PER_SECOND = 100;

  /** {@code tables.insert} calls per second (per user). */
  public static final int TABLE_INSERTS_PER_SECOND = 10;

  /** Metadata updates per table, and per dataset, in each {@link #UPDATE_WINDOW}. */
  public static final int UPDATES_PER_WINDOW = 5;

  public static final Duration UPDATE_WINDOW = Duration.ofSeconds(10);

  /** The formula, as the dry run states it. */
  public static final String FORMULA =
      "wave floor = max(calls of each REST method / 100 per s, tables.insert / 10 per s,"
          + " sum of org floors / max_concurrent_orgs, largest org floor), where a limit of L per"
          + " period P takes (ceil(n / L) - 1) * P for n calls and an org's floor is that of its"
          + " busiest table (5 metadata updates per 10 s) and of its dataset (5 per 10 s);"
          + " roll-out floor = sum of wave floors + bake time between waves";

  private static final Duration SECOND = Duration.ofSeconds(1);

  /** The floor of a wave whose orgs' syncs make {@code orgs} calls. */
  public static QuotaFloor of(List<SyncCalls> orgs, int maxConcurrentOrgs) {
    QuotaFloor floor = new QuotaFloor(Duration.ZERO, "");
    SyncCalls total = SyncCalls.NONE;
    Duration orgFloors = Duration.ZERO;
    Duration largest = Duration.ZERO;
    for (SyncCalls org : orgs) {
      total = total.plus(org);
      Duration own = orgFloor(org);
      orgFloors = orgFloors.plus(own);
      largest = max(largest, own);
    }
    for (var method : total.byMethod().entrySet()) {
      floor =
          floor.atLeast(
              window(method.getValue(), PER_METHOD_PER_SECOND, SECOND),
              method.getKey() + " at " + PER_METHOD_PER_SECOND + " per second");
    }
    floor =
        floor.atLeast(
            window(total.calls("tables.insert"), TABLE_INSERTS_PER_SECOND, SECOND),
            "tables.insert at " + TABLE_INSERTS_PER_SECOND + " per second");
    floor =
        floor.atLeast(
            orgFloors.dividedBy(Math.max(1, maxConcurrentOrgs)),
            "table and dataset metadata updates (5 per 10 s each) at "
                + maxConcurrentOrgs
                + " orgs at once");
    return floor.atLeast(largest, "the busiest org's table or dataset metadata updates");
  }

  /** One org's floor: its busiest table's and its dataset's metadata updates. */
  static Duration orgFloor(SyncCalls org) {
    return max(
        window(org.maxTableUpdates(), UPDATES_PER_WINDOW, UPDATE_WINDOW),
        window(org.datasetUpdates(), UPDATES_PER_WINDOW, UPDATE_WINDOW));
  }

  /** The least time {@code n} calls take under "{@code limit} per {@code period}". */
  static Duration window(long n, int limit, Duration period) {
    if (n <= 0) {
      return Duration.ZERO;
    }
    return period.multipliedBy((n + limit - 1) / limit - 1);
  }

  private QuotaFloor atLeast(Duration other, String why) {
    return other.compareTo(minimum) > 0 ? new QuotaFloor(other, why) : this;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
