package dev.orgprovisioner.warehouse;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * The fleet's quota windows as a worker keeps them: per-table and per-dataset metadata updates and
 * {@code tables.insert} in the shared store (a few calls per org, each worth a transaction), and
 * the high-rate "requests per second per method" as this instance's share of it, paced locally (a
 * transaction per request would cost more than the request, and a store document takes about one
 * write per second).
 */
public final class SplitQuotaBuckets implements QuotaBuckets {

  private final QuotaBuckets shared;
  private final QuotaBuckets ownShare;

  /**
   * @param instances how many worker instances share the per-user quotas: each paces {@code 1 /
   *     instances} of the requests per method
   */
  public SplitQuotaBuckets(QuotaBuckets shared, int instances) {
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1: " + instances);
    }
    this.shared = shared;
    this.ownShare = new LocalQuotaBuckets(1.0 / instances);
  }

  private QuotaBuckets of(Quota quota) {
    return quota == Quota.API_REQUESTS ? ownShare : shared;
  }

  @Override
  public Grant take(String id, Quota quota, double timeScale, Ask ask, Supplier<Instant> clock) {
    return of(quota).take(id, quota, timeScale, ask, clock);
  }

  @Override
  public void slowDown(String id, Quota quota, double timeScale, Instant now) {
    of(quota).slowDown(id, quota, timeScale, now);
  }
}
