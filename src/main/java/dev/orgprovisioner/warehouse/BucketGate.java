package dev.orgprovisioner.warehouse;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A {@link QuotaGate} over quota windows: every call takes a place in its quota's window for its
 * key, waiting while the window is full; a refusal slows that window down. Over the ledger's shared
 * windows it keeps the whole fleet under the quota; over {@link LocalQuotaBuckets}, one instance.
 */
public final class BucketGate implements QuotaGate {

  /** Waits; replaceable so tests step a clock instead of sleeping. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /**
   * How long a call waits for another thread of this instance that is asking the store for the same
   * window before it looks again (it is woken at once when that thread is done).
   */
  private static final long LANE_WAIT_MILLIS = 50;

  private final QuotaBuckets buckets;
  private final double timeScale;
  private final Supplier<Instant> clock;
  private final Sleeper sleeper;
  // Per window: tokens leased beyond the call that took them, and who is asking the store.
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

  /**
   * One window as this instance sees it: slots leased and not yet used (each usable from its
   * instant until {@link #usable} after it), the calls waiting, whether one of them is asking the
   * store (the others wait for its lease), and how long the store's grants took to reach this
   * instance lately (slots are asked that far ahead).
   */
  private static final class Lane {
    final PriorityQueue<Instant> slots = new PriorityQueue<>();
    int waiting;
    boolean asking;
    Duration lead = Duration.ZERO;
  }

  /**
   * @param timeScale multiplies every quota window (1 in production; tests shrink time)
   */
  public BucketGate(
      QuotaBuckets buckets, double timeScale, Supplier<Instant> clock, Sleeper sleeper) {
    this.buckets = buckets;
    this.timeScale = timeScale;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Real time, BigQuery's published windows. */
  public static BucketGate of(QuotaBuckets buckets) {
    return of(buckets, 1.0);
  }

  /** Real time, every window multiplied by {@code timeScale} (a stub enforcing shrunk quotas). */
  public static BucketGate of(QuotaBuckets buckets, double timeScale) {
    return new BucketGate(
        buckets,
        timeScale,
        Instant::now,
        d -> Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000)));
  }

  /** One instance on its own: buckets in this process. */
  public static BucketGate local() {
    return of(new LocalQuotaBuckets());
  }

  /**
   * Slots asked per transaction when one call asks: {@code API_REQUESTS} is paced in this process
   * (no transaction), where a lease of a few spares most calls the lock; a shared window is asked
   * for exactly the calls waiting, since a slot leased and not used is lost to the whole fleet.
   */
  static int leaseSize(Quota quota) {
    return quota == Quota.API_REQUESTS ? 3 : 1;
  }

  /**
   * At most this many slots per transaction: the lease grows with the calls of this instance
   * waiting for it, so a busy instance does not pay a transaction per call.
   */
  static int maxLease(Quota quota) {
    return switch (quota) {
      case API_REQUESTS -> 20;
      case TABLES_INSERT -> quota.calls() * 2;
      default -> quota.calls();
    };
  }

  /**
   * How far ahead of the earliest allowed instant slots are leased, in windows: far enough for the
   * calls a busy fleet queues up, near enough that a refusal (which ends this instance's unused
   * slots, not the others') slows the fleet down soon.
   */
  static final int WINDOWS_AHEAD = 3;

  /**
   * How far ahead a lease may reach: {@link #WINDOWS_AHEAD} windows for {@code tables.insert}, the
   * per-user window every create of the fleet meets (its calls queue up); none for the per-table
   * and per-dataset windows, rarely full (a full one is waited for, then asked again), nor for the
   * requests per method, paced in this process (no commit to hide).
   */
  static Duration ahead(Quota quota, double timeScale) {
    return quota == Quota.TABLES_INSERT
        ? QuotaWindow.window(quota, timeScale).multipliedBy(WINDOWS_AHEAD)
        : Duration.ZERO;
  }

  /**
   * How long after its slot a call may still start: half the window's excess over BigQuery's
   * ({@link QuotaWindow#usableFor}); the other half is the request's way to BigQuery, so a call
   * woken a little late does not land after the next window's calls.
   */
  static Duration usable(Quota quota, double timeScale) {
    return QuotaWindow.usableFor(quota, timeScale).dividedBy(2);
  }

  /**
   * Leases in a row whose every slot had passed (with its usable time) when the grant reached this
   * instance, before one is used anyway: a store slow for good must not hold every warehouse call
   * forever (a refusal that may follow is retried and slows the window down).
   */
  static final int MAX_AGED_GRANTS = 10;

  @Override
  public void acquire(Quota quota, String key) throws InterruptedException {
    String id = bucketId(quota, key);
    Duration usable = usable(quota, timeScale);
    while (true) {
      Lane lane = lanes.computeIfAbsent(id, k -> new Lane());
      Instant slot = null;
      synchronized (lane) {
        lane.waiting++;
        try {
          while (true) {
            slot = usableSlot(lane, usable);
            if (slot != null || !lane.asking) {
              break;
            }
            lane.wait(LANE_WAIT_MILLIS);
          }
          if (slot == null) {
            lane.asking = true;
          }
        } finally {
          lane.waiting--;
        }
      }
      if (slot != null) {
        waitFor(slot);
        if (!clock.get().isAfter(slot.plus(usable))) {
          return;
        }
        // Woken too late for the slot (a busy machine): the call could overrun the window, and a
        // refusal costs the fleet far more (the window halves) than the slot. Take another.
        continue;
      }
      Instant forced;
      try {
        forced = askStore(quota, id, lane, usable);
      } finally {
        synchronized (lane) {
          lane.asking = false;
          lane.notifyAll();
        }
        if (lanes.size() > 10_000) {
          // Tables no longer touched: their lanes go (a lane in use is simply made again).
          lanes.values().removeIf(BucketGate::idle);
        }
      }
      if (forced != null) {
        return;
      }
      // The lease is in the lane: take a slot of it like every other call.
    }
  }

  /** The earliest leased slot still usable, taken; slots past their usable time are dropped. */
  private Instant usableSlot(Lane lane, Duration usable) {
    Instant now = clock.get();
    while (!lane.slots.isEmpty()) {
      Instant slot = lane.slots.poll();
      if (!slot.plus(usable).isBefore(now)) {
        return slot;
      }
    }
    return null;
  }

  private void waitFor(Instant slot) throws InterruptedException {
    Duration until = Duration.between(clock.get(), slot);
    if (until.compareTo(Duration.ZERO) > 0) {
      sleeper.sleep(until);
    }
  }

  private static boolean idle(Lane lane) {
    synchronized (lane) {
      return !lane.asking && lane.waiting == 0 && lane.slots.isEmpty();
    }
  }

  /**
   * Leases slots for this call and the calls of this instance waiting behind it, into the lane.
   * Returns the instant of a slot used anyway when the store stayed too slow for its grants ({@link
   * #MAX_AGED_GRANTS}); otherwise null.
   */
  private Instant askStore(Quota quota, String id, Lane lane, Duration usable)
      throws InterruptedException {
    Duration ahead = ahead(quota, timeScale);
    int aged = 0;
    while (true) {
      int want;
      Duration lead;
      synchronized (lane) {
        want = Math.max(leaseSize(quota), Math.min(maxLease(quota), 1 + lane.waiting));
        lead = lane.lead;
      }
      QuotaBuckets.Grant grant =
          buckets.take(id, quota, timeScale, new QuotaBuckets.Ask(want, lead, ahead), clock);
      Instant now = clock.get();
      if (grant.granted() == 0) {
        sleeper.sleep(grant.retryAfter());
        continue;
      }
      Duration took = Duration.between(grant.at(), now);
      synchronized (lane) {
        lane.lead = nextLead(lane.lead, took, usable);
        for (Instant slot : grant.slots()) {
          if (!slot.plus(usable).isBefore(now)) {
            lane.slots.add(slot);
          }
        }
        if (!lane.slots.isEmpty()) {
          return null;
        }
      }
      // Every slot had passed by the time the grant got here (a contended store; the lead grows).
      if (++aged >= MAX_AGED_GRANTS) {
        return grant.slots().get(0);
      }
    }
  }

  /**
   * The lead for the next lease: how long grants take to reach this instance, less the time a slot
   * stays usable; it rises at once to a slower grant and falls back by a fifth of the difference
   * per faster one (a commit time's recent high, not its mean: a slot that passes is lost).
   */
  static Duration nextLead(Duration lead, Duration took, Duration usable) {
    Duration needed = took.minus(usable.dividedBy(2));
    if (needed.isNegative()) {
      needed = Duration.ZERO;
    }
    if (needed.compareTo(lead) >= 0) {
      return needed;
    }
    return lead.minus(lead.minus(needed).dividedBy(5));
  }

  @Override
  public void rateLimited(Quota quota, String key) {
    Lane lane = lanes.get(bucketId(quota, key));
    if (lane != null) {
      synchronized (lane) {
        // This instance's slots not yet used go: the window is slowed down from now on.
        lane.slots.clear();
      }
    }
    buckets.slowDown(bucketId(quota, key), quota, timeScale, clock.get());
  }

  /** A bucket's id: the quota and the key, safe as a Firestore document id. */
  static String bucketId(Quota quota, String key) {
    return quota.name().toLowerCase(Locale.ROOT) + "~" + key.replace('/', '_').replace('.', ':');
  }
}
