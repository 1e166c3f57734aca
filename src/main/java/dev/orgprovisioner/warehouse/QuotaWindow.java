package dev.orgprovisioner.warehouse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one shared quota and its arithmetic, the same for every store: the times of the
 * calls granted in the last window (BigQuery counts "N per window" over any window, so a token
 * bucket with a burst would overrun it), and the share of N the fleet allows itself. The share
 * grows back by a step per grant (additive increase) and halves when the warehouse refused a call
 * anyway (multiplicative decrease).
 */
public record QuotaWindow(List<Instant> granted, double factor) {

  /** Never below this share of the published rate (at least one call per window). */
  public static final double MIN_FACTOR = 0.1;

  /** Added to the share per granted call. */
  public static final double STEP = 0.05;

  /**
   * Windows are counted this much longer than published: a call reaches BigQuery a little after its
   * grant, and the margin keeps that from overrunning the window.
   */
  public static final double MARGIN = 1.05;

  /**
   * Added to every window, unscaled (latency does not shrink with a test's time scale): the grant's
   * commit and the HTTP request take this long at most, in the common case.
   */
  public static final Duration SLACK = Duration.ofMillis(100);

  public QuotaWindow {
    granted = List.copyOf(granted);
  }

  /** Nothing granted yet, the full published rate allowed. */
  public static QuotaWindow fresh() {
    return new QuotaWindow(List.of(), 1.0);
  }

  /** The window and what {@link #take} granted. */
  public record Taken(QuotaWindow window, QuotaBuckets.Grant grant) {}

  public static Duration window(Quota quota, double timeScale) {
    return Duration.ofNanos((long) (quota.window().toNanos() * timeScale * MARGIN)).plus(SLACK);
  }

  public Taken take(Quota quota, double timeScale, int want, Instant now) {
    return take(quota, timeScale, want, now, 1.0);
  }

  /**
   * As {@link #take(Quota, double, int, Instant)}, allowing only {@code share} of the quota (an
   * instance pacing its part of a per-user quota alone).
   */
  public Taken take(Quota quota, double timeScale, int want, Instant now, double share) {
    Duration window = window(quota, timeScale);
    List<Instant> recent = new ArrayList<>();
    for (Instant t : granted) {
      if (t.plus(window).isAfter(now)) {
        recent.add(t);
      }
    }
    int allowed = Math.max(1, (int) Math.floor(quota.calls() * factor * share));
    int free = Math.max(0, allowed - recent.size());
    int grant = Math.min(want, free);
    if (grant == 0) {
      Instant oldest = recent.stream().min(Instant::compareTo).orElse(now);
      Duration wait = Duration.between(now, oldest.plus(window));
      return new Taken(
          new QuotaWindow(recent, factor),
          new QuotaBuckets.Grant(
              0, wait.isNegative() || wait.isZero() ? Duration.ofNanos(1) : wait, now));
    }
    for (int i = 0; i < grant; i++) {
      recent.add(now);
    }
    double grown = Math.min(1.0, factor + STEP * grant);
    return new Taken(
        new QuotaWindow(recent, grown), new QuotaBuckets.Grant(grant, Duration.ZERO, now));
  }

  /**
   * The warehouse refused a call: half the share, and the window counts as full until it passes.
   */
  public QuotaWindow slowedDown(Quota quota, Instant now) {
    double half = Math.max(MIN_FACTOR, factor / 2);
    List<Instant> full = new ArrayList<>(granted);
    while (full.size() < quota.calls()) {
      full.add(now);
    }
    return new QuotaWindow(full, half);
  }
}
