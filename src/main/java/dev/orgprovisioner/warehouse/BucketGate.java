package dev.orgprovisioner.warehouse;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
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
   * One window as this instance sees it: spare tokens usable until their time passed, the calls
   * waiting, and whether one of them is asking the store (the others wait for its lease).
   */
  private static final class Lane {
    int spare;
    Instant until = Instant.MIN;
    int waiting;
    boolean asking;
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
   * Tokens taken per transaction when one call asks: a per-user quota is hit by many calls, so a
   * lease of a few spares most calls a transaction; a per-table or per-dataset one rarely twice at
   * once.
   */
  static int leaseSize(Quota quota) {
    return quota == Quota.TABLES_INSERT || quota == Quota.API_REQUESTS ? 3 : 1;
  }

  /**
   * At most this many tokens per transaction when calls queue up behind the one asking: the lease
   * grows with the calls waiting for it, so a busy instance does not pay a transaction per call.
   */
  static int maxLease(Quota quota) {
    return switch (quota) {
      case API_REQUESTS -> 20;
      case TABLES_INSERT -> 5;
      default -> 1;
    };
  }

  /**
   * Grants that took longer to commit than the window's margin, left unused in a row, before one is
   * used anyway: a store slow for good must not hold every warehouse call forever (a refusal that
   * may follow is retried and slows the window down).
   */
  static final int MAX_AGED_GRANTS = 10;

  @Override
  public void acquire(Quota quota, String key) throws InterruptedException {
    String id = bucketId(quota, key);
    Lane lane = lanes.computeIfAbsent(id, k -> new Lane());
    synchronized (lane) {
      lane.waiting++;
      try {
        while (true) {
          if (lane.spare > 0 && clock.get().isBefore(lane.until)) {
            lane.spare--;
            return;
          }
          if (!lane.asking) {
            lane.asking = true;
            break;
          }
          lane.wait(LANE_WAIT_MILLIS);
        }
      } finally {
        lane.waiting--;
      }
    }
    try {
      askStore(quota, id, lane);
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
  }

  private static boolean idle(Lane lane) {
    synchronized (lane) {
      return !lane.asking && lane.waiting == 0;
    }
  }

  /** Takes a lease for this call and the calls of this instance waiting behind it. */
  private void askStore(Quota quota, String id, Lane lane) throws InterruptedException {
    // The window is counted this much longer than BigQuery's: a grant used within it cannot
    // overrun.
    Duration margin =
        QuotaWindow.window(quota, timeScale)
            .minus(Duration.ofNanos((long) (quota.window().toNanos() * timeScale)));
    int aged = 0;
    while (true) {
      int want;
      synchronized (lane) {
        want = Math.max(leaseSize(quota), Math.min(maxLease(quota), 1 + lane.waiting));
      }
      QuotaBuckets.Grant grant = buckets.take(id, quota, timeScale, want, clock);
      if (grant.granted() > 0) {
        Duration commit = Duration.between(grant.at(), clock.get());
        if (commit.compareTo(margin) > 0 && ++aged < MAX_AGED_GRANTS) {
          // The grant took longer to commit than the margin (a contended store): a call made now
          // would land later in the window than counted and could overrun it. Leave it; ask again.
          continue;
        }
        if (grant.granted() > 1) {
          // Spares count as made at the grant: used much later, they would overrun the window.
          synchronized (lane) {
            lane.spare = grant.granted() - 1;
            lane.until = grant.at().plus(margin);
          }
        }
        return;
      }
      sleeper.sleep(grant.retryAfter());
    }
  }

  @Override
  public void rateLimited(Quota quota, String key) {
    Lane lane = lanes.get(bucketId(quota, key));
    if (lane != null) {
      synchronized (lane) {
        lane.spare = 0;
      }
    }
    buckets.slowDown(bucketId(quota, key), quota, timeScale, clock.get());
  }

  /** A bucket's id: the quota and the key, safe as a Firestore document id. */
  static String bucketId(Quota quota, String key) {
    return quota.name().toLowerCase(Locale.ROOT) + "~" + key.replace('/', '_').replace('.', ':');
  }
}
