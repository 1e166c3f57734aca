package dev.orgprovisioner.warehouse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The state of one shared quota and its arithmetic, the same for every store: the instants of the
 * calls granted in the last window and ahead of it (BigQuery counts "N per window" over any window,
 * so a token bucket with a burst would overrun it), and the share of N the fleet allows itself. A
 * grant names the instants at which its calls may be made, possibly ahead of now (a slot reserved
 * while the grant commits is not lost to a slow commit). The share grows back by a step per grant
 * (additive increase) and halves when the warehouse refused a call anyway (multiplicative
 * decrease).
 */
public record QuotaWindow(List<Instant> granted, double factor) {

  /** Never below this share of the published rate (at least one call per window). */
  public static final double MIN_FACTOR = 0.1;

  /** Added to the share per granted call. */
  public static final double STEP = 0.05;

  /**
   * Windows are counted this much longer than published: a call reaches BigQuery a little after its
   * slot, and the margin keeps that from overrunning the window.
   */
  public static final double MARGIN = 1.05;

  /**
   * Added to every window, unscaled (latency does not shrink with a test's time scale): the time a
   * call may be made after its slot, and the HTTP request's way to BigQuery, half each. 100 ms let
   * a call held up 60 ms on a busy machine (a pause, a compile) land in the next window.
   */
  public static final Duration SLACK = Duration.ofMillis(250);

  public QuotaWindow {
    granted = List.copyOf(granted);
  }

  /** Nothing granted yet, the full published rate allowed. */
  public static QuotaWindow fresh() {
    return new QuotaWindow(List.of(), 1.0);
  }

  /** The window and what {@link #take} granted. */
  public record Taken(QuotaWindow window, QuotaBuckets.Grant grant) {}

  /** The window as counted: the published one, scaled, with the margin and the slack. */
  public static Duration window(Quota quota, double timeScale) {
    return Duration.ofNanos((long) (quota.window().toNanos() * timeScale * MARGIN)).plus(SLACK);
  }

  /**
   * How long after its slot a call may still be made: the counted window's excess over the
   * published one. A call later than that could overrun BigQuery's window.
   */
  public static Duration usableFor(Quota quota, double timeScale) {
    return window(quota, timeScale)
        .minus(Duration.ofNanos((long) (quota.window().toNanos() * timeScale)));
  }

  /** Up to {@code want} calls now, or none (the whole quota). */
  public Taken take(Quota quota, double timeScale, int want, Instant now) {
    return take(quota, timeScale, QuotaBuckets.Ask.now(want), now, 1.0);
  }

  /**
   * Grants up to {@code ask.want()} slots: the earliest instants from {@code now + ask.lead()} on
   * at which one more call keeps every window within the allowed calls, none later than {@code
   * ask.ahead()} after that first instant; {@code share} of the quota allowed (an instance pacing
   * its part of a per-user quota alone). None fitting: the grant says how long until one would.
   */
  public Taken take(
      Quota quota, double timeScale, QuotaBuckets.Ask ask, Instant now, double share) {
    Duration window = window(quota, timeScale);
    List<Instant> kept = new ArrayList<>();
    for (Instant t : granted) {
      if (t.plus(window).isAfter(now)) {
        kept.add(t);
      }
    }
    Collections.sort(kept);
    int allowed = Math.max(1, (int) Math.floor(quota.calls() * factor * share));
    Instant from = now.plus(ask.lead());
    Instant latest = from.plus(ask.ahead());
    List<Instant> slots = new ArrayList<>();
    Instant next = from;
    while (slots.size() < ask.want()) {
      next = earliestFit(kept, next, window, allowed);
      if (next.isAfter(latest)) {
        break;
      }
      int at = Collections.binarySearch(kept, next);
      kept.add(at < 0 ? -at - 1 : at, next);
      slots.add(next);
    }
    if (slots.isEmpty()) {
      Duration wait = Duration.between(latest, next);
      return new Taken(
          new QuotaWindow(kept, factor),
          new QuotaBuckets.Grant(List.of(), wait.isZero() ? Duration.ofNanos(1) : wait, now));
    }
    double grown = Math.min(1.0, factor + STEP * slots.size());
    return new Taken(
        new QuotaWindow(kept, grown), new QuotaBuckets.Grant(slots, Duration.ZERO, now));
  }

  /**
   * The earliest instant from {@code from} on at which one more call leaves every window (a span of
   * {@code window} ending at any instant) with at most {@code allowed} calls: {@code from} itself
   * or the instant a granted call leaves the window.
   */
  static Instant earliestFit(List<Instant> sorted, Instant from, Duration window, int allowed) {
    if (fits(sorted, from, window, allowed)) {
      return from;
    }
    for (Instant t : sorted) {
      Instant leaves = t.plus(window);
      if (leaves.isAfter(from) && fits(sorted, leaves, window, allowed)) {
        return leaves;
      }
    }
    // Unreachable for a valid window: after the last call's window has passed, none holds any.
    return sorted.get(sorted.size() - 1).plus(window);
  }

  /**
   * Whether one more call at {@code t} fits: every window ending in [t, t + window) holds fewer
   * than {@code allowed} calls so far (the count only rises at a call, so the ends to check are t
   * and the calls after it).
   */
  private static boolean fits(List<Instant> sorted, Instant t, Duration window, int allowed) {
    if (count(sorted, t, window) >= allowed) {
      return false;
    }
    Instant end = t.plus(window);
    for (int i = firstAfter(sorted, t.minusNanos(1)); i < sorted.size(); i++) {
      Instant s = sorted.get(i);
      if (!s.isBefore(end)) {
        break;
      }
      if (count(sorted, s, window) >= allowed) {
        return false;
      }
    }
    return true;
  }

  /** Calls in the window ending at {@code x}: in (x - window, x]. */
  private static int count(List<Instant> sorted, Instant x, Duration window) {
    return firstAfter(sorted, x) - firstAfter(sorted, x.minus(window));
  }

  /** The index of the first call after {@code x} (the list's size when none is). */
  private static int firstAfter(List<Instant> sorted, Instant x) {
    int lo = 0;
    int hi = sorted.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted.get(mid).isAfter(x)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /**
   * The warehouse refused a call: half the share, and the window counts as full until it passes.
   */
  public QuotaWindow slowedDown(Quota quota, double timeScale, Instant now) {
    double half = Math.max(MIN_FACTOR, factor / 2);
    List<Instant> full = new ArrayList<>(granted);
    Instant start = now.minus(window(quota, timeScale));
    long inWindow = granted.stream().filter(t -> t.isAfter(start) && !t.isAfter(now)).count();
    for (long i = inWindow; i < quota.calls(); i++) {
      full.add(now);
    }
    return new QuotaWindow(full, half);
  }
}
