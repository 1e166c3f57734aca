package dev.orgprovisioner.warehouse;

import java.time.Duration;

/** BigQuery's published rate quotas the worker paces itself under (quotas and limits page). */
public enum Quota {
  /** Table metadata updates (tables.insert, patch, update): 5 per 10 s per table. */
  TABLE_METADATA(5, Duration.ofSeconds(10)),
  /** Dataset metadata updates (datasets.insert, patch, update): 5 per 10 s per dataset. */
  DATASET_METADATA(5, Duration.ofSeconds(10)),
  /** tables.insert: 10 per second per user. */
  TABLES_INSERT(10, Duration.ofSeconds(1)),
  /** API requests: 100 per second per user per method (the key is the REST method). */
  API_REQUESTS(100, Duration.ofSeconds(1));

  /**
   * Concurrent API requests per user (the quotas page): not a rate, so no window; each instance
   * keeps at most its share ({@link #concurrentRequestsShare}) in flight.
   */
  public static final int CONCURRENT_REQUESTS = 300;

  /**
   * Mutating DML statements (MERGE, UPDATE, DELETE) per table BigQuery takes at once: 2 running and
   * 20 queued; the next is refused.
   */
  public static final int MUTATING_DML_PER_TABLE = 22;

  private final int calls;
  private final Duration window;

  Quota(int calls, Duration window) {
    this.calls = calls;
    this.window = window;
  }

  /** Calls allowed per {@link #window()}. */
  public int calls() {
    return calls;
  }

  public Duration window() {
    return window;
  }

  /** One instance's share of {@link #CONCURRENT_REQUESTS} in a fleet of {@code instances}. */
  public static int concurrentRequestsShare(int instances) {
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1: " + instances);
    }
    return Math.max(1, CONCURRENT_REQUESTS / instances);
  }
}
