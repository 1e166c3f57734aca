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

  @Override
  public synchronized Grant take(
      String id, Quota quota, double timeScale, int want, Supplier<Instant> clock) {
    Instant now = clock.get();
    QuotaWindow.Taken taken =
        buckets.computeIfAbsent(id, k -> QuotaWindow.fresh()).take(quota, timeScale, want, now);
    buckets.put(id, taken.window());
    if (buckets.size() > 100_000) {
      buckets.clear();
    }
    return taken.grant();
  }

  @Override
  public synchronized void slowDown(String id, Quota quota, double timeScale, Instant now) {
    buckets.put(id, buckets.computeIfAbsent(id, k -> QuotaWindow.fresh()).slowedDown(quota, now));
  }
}
