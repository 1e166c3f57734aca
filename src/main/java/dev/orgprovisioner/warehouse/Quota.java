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
}
