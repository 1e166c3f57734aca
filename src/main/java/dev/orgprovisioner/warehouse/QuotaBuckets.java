package dev.orgprovisioner.warehouse;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Port: quota windows every worker instance shares (in the ledger), so the fleet as a whole stays
 * under a quota ({@link QuotaWindow} is their arithmetic). Each call is one transaction; a gate
 * takes calls in small leases.
 */
public interface QuotaBuckets {

  /**
   * Grants up to {@code want} calls of the quota window {@code id}, counted at the time {@code
   * clock} gives when the grant is decided (inside the store's transaction: a slow transaction must
   * not age the grant). Granted calls must be made at once.
   */
  Grant take(String id, Quota quota, double timeScale, int want, Supplier<Instant> clock);

  /**
   * The quota was exceeded anyway: halve the bucket's rate and empty it (multiplicative decrease).
   */
  void slowDown(String id, Quota quota, double timeScale, Instant now);

  /**
   * @param granted calls granted (0..want)
   * @param retryAfter when nothing was granted: how long until the next place in the window
   * @param at the time the grant was counted at
   */
  record Grant(int granted, Duration retryAfter, Instant at) {}
}
