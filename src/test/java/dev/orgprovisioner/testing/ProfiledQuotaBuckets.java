package dev.orgprovisioner.testing;

import dev.orgprovisioner.warehouse.Quota;
import dev.orgprovisioner.warehouse.QuotaBuckets;
import dev.orgprovisioner.warehouse.QuotaWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** A store of quota windows that counts its transactions and their time per quota (a profile). */
public final class ProfiledQuotaBuckets implements QuotaBuckets {

  private final QuotaBuckets delegate;
  private final Map<Quota, long[]> counts = new EnumMap<>(Quota.class);

  public ProfiledQuotaBuckets(QuotaBuckets delegate) {
    this.delegate = delegate;
  }

  @Override
  public Grant take(
      String id, Quota quota, double timeScale, QuotaBuckets.Ask ask, Supplier<Instant> clock) {
    long start = System.nanoTime();
    Grant grant = delegate.take(id, quota, timeScale, ask, clock);
    long took = System.nanoTime() - start;
    Duration commit = Duration.between(grant.at(), clock.get());
    synchronized (counts) {
      long[] c = counts.computeIfAbsent(quota, q -> new long[8]);
      c[0]++;
      c[1] += took;
      c[2] = Math.max(c[2], took);
      c[3] += ask.want();
      c[4] += grant.granted();
      c[5] += grant.granted() == 0 ? 1 : 0;
      c[6] += commit.toNanos();
      Duration usable = QuotaWindow.usableFor(quota, timeScale);
      Instant arrived = clock.get();
      for (Instant slot : grant.slots()) {
        c[7] += slot.plus(usable).isBefore(arrived) ? 1 : 0;
      }
    }
    return grant;
  }

  @Override
  public void slowDown(String id, Quota quota, double timeScale, Instant now) {
    delegate.slowDown(id, quota, timeScale, now);
  }

  /** One line per quota: transactions, mean and max time, tokens wanted and granted. */
  public String profile() {
    StringBuilder out = new StringBuilder();
    synchronized (counts) {
      counts.forEach(
          (q, c) ->
              out.append(
                  String.format(
                      Locale.ROOT,
                      "%s: %d tx, mean %.1f ms, max %.1f ms, mean commit %.1f ms, wanted %d,"
                          + " granted %d, empty %d, slots passed on arrival %d%n",
                      q,
                      c[0],
                      c[1] / 1e6 / c[0],
                      c[2] / 1e6,
                      c[6] / 1e6 / c[0],
                      c[3],
                      c[4],
                      c[5],
                      c[7])));
    }
    return out.toString();
  }
}
