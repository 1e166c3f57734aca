package dev.orgprovisioner.warehouse;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Quota windows of one process: what a single instance (a local run, a test) shares between its
 * threads. Same arithmetic as the ledger's shared ones ({@link QuotaWindow}).
 */
public final class LocalQuotaBuckets implements QuotaBuckets {

  private final Map<String, QuotaWindow> buckets = new HashMap<>();
  private final double share;

  /** The whole of every quota. */
  public LocalQuotaBuckets() {
    this(1.0);
  }

  /**
   * {@code share} (0 to 1) of every quota: one of several instances pacing its part of a per-user
   * quota without asking the others.
   */
  public LocalQuotaBuckets(double share) {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("share must be in (0, 1]: " + share);
    }
    this.share = share;
  }

  @Override
  public synchronized Grant take(
      String id, Quota quota, double timeScale, Ask ask, Supplier<Instant> clock) {
    Instant now = clock.get();
    QuotaWindow.Taken taken =
        buckets
            .computeIfAbsent(id, k -> QuotaWindow.fresh())
            .take(quota, timeScale, ask, now, share);
    buckets.put(id, taken.window());
    if (buckets.size() > 100_000) {
      buckets.clear();
    }
    return taken.grant();
  }

  @Override
  public synchronized void slowDown(String id, Quota quota, double timeScale, Instant now) {
    buckets.put(
        id,
        buckets.computeIfAbsent(id, k -> QuotaWindow.fresh()).slowedDown(quota, timeScale, now));
  }
}
