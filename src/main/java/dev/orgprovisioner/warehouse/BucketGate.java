package dev.orgprovisioner.warehouse;

import java.time.Duration;
import java.time.Instant;
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

  private final QuotaBuckets buckets;
  private final double timeScale;
  private final Supplier<Instant> clock;
  private final Sleeper sleeper;
  // Tokens leased beyond the call that took them, per bucket, usable until their time passed.
  private final java.util.Map<String, Spare> spares = new java.util.HashMap<>();

  private record Spare(int tokens, Instant until) {}

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
   * Tokens taken per transaction: a per-user quota is hit by many calls, so a lease of a few spares
   * most calls a transaction; a per-table or per-dataset one rarely twice at once.
   */
  static int leaseSize(Quota quota) {
    return quota == Quota.TABLES_INSERT ? 3 : 1;
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
    // The window is counted this much longer than BigQuery's: a grant used within it cannot
    // overrun.
    Duration margin =
        QuotaWindow.window(quota, timeScale)
            .minus(Duration.ofNanos((long) (quota.window().toNanos() * timeScale)));
    int aged = 0;
    while (true) {
      Instant now = clock.get();
      if (takeSpare(id, now)) {
        return;
      }
      QuotaBuckets.Grant grant = buckets.take(id, quota, timeScale, leaseSize(quota), clock);
      if (grant.granted() > 0) {
        Duration commit = Duration.between(grant.at(), clock.get());
        if (commit.compareTo(margin) > 0 && ++aged < MAX_AGED_GRANTS) {
          // The grant took longer to commit than the margin (a contended store): a call made now
          // would land later in the window than counted and could overrun it. Leave it; ask again.
          continue;
        }
        if (grant.granted() > 1) {
          // Spares count as made at the grant: used much later, they would overrun the window.
          keepSpare(id, grant.granted() - 1, grant.at().plus(margin));
        }
        return;
      }
      sleeper.sleep(grant.retryAfter());
    }
  }

  private synchronized boolean takeSpare(String id, Instant now) {
    Spare spare = spares.get(id);
    if (spare == null || spare.tokens() == 0 || !now.isBefore(spare.until())) {
      spares.remove(id);
      return false;
    }
    spares.put(id, new Spare(spare.tokens() - 1, spare.until()));
    return true;
  }

  private synchronized void keepSpare(String id, int tokens, Instant until) {
    spares.put(id, new Spare(tokens, until));
  }

  @Override
  public void rateLimited(Quota quota, String key) {
    synchronized (this) {
      spares.remove(bucketId(quota, key));
    }
    buckets.slowDown(bucketId(quota, key), quota, timeScale, clock.get());
  }

  /** A bucket's id: the quota and the key, safe as a Firestore document id. */
  static String bucketId(Quota quota, String key) {
    return quota.name().toLowerCase(java.util.Locale.ROOT)
        + "~"
        + key.replace('/', '_').replace('.', ':');
  }
}
