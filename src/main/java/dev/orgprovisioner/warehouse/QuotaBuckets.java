package dev.orgprovisioner.warehouse;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Port: quota windows every worker instance shares (in the ledger), so the fleet as a whole stays
 * under a quota ({@link QuotaWindow} is their arithmetic). Each call is one transaction; a gate
 * takes calls in leases of slots.
 */
public interface QuotaBuckets {

  /**
   * Grants up to {@code ask.want()} slots of the quota window {@code id}, counted from the time
   * {@code clock} gives when the grant is decided (inside the store's transaction: a slow
   * transaction must not age the grant). Each granted call is made at its slot, or shortly after
   * ({@link QuotaWindow#usableFor}).
   */
  Grant take(String id, Quota quota, double timeScale, Ask ask, Supplier<Instant> clock);

  /** Up to {@code want} calls to be made at once. */
  default Grant take(String id, Quota quota, double timeScale, int want, Supplier<Instant> clock) {
    return take(id, quota, timeScale, Ask.now(want), clock);
  }

  /**
   * The quota was exceeded anyway: halve the bucket's rate and empty it (multiplicative decrease).
   */
  void slowDown(String id, Quota quota, double timeScale, Instant now);

  /**
   * What a gate asks for.
   *
   * @param want calls
   * @param lead no slot earlier than this after the grant is decided (the commit's expected time)
   * @param ahead no slot later than this after the earliest allowed one
   */
  record Ask(int want, Duration lead, Duration ahead) {

    public Ask {
      if (want < 1 || lead.isNegative() || ahead.isNegative()) {
        throw new IllegalArgumentException(
            "want >= 1, lead and ahead >= 0: " + want + ", " + lead + ", " + ahead);
      }
    }

    /** Calls to be made at once. */
    public static Ask now(int want) {
      return new Ask(want, Duration.ZERO, Duration.ZERO);
    }
  }

  /**
   * @param slots the instants at which the granted calls may be made, earliest first (none: wait)
   * @param retryAfter when nothing was granted: how long until the next slot would fit
   * @param at the time the grant was decided at
   */
  record Grant(List<Instant> slots, Duration retryAfter, Instant at) {

    public Grant {
      slots = List.copyOf(slots);
    }

    /** Calls granted. */
    public int granted() {
      return slots.size();
    }
  }
}
