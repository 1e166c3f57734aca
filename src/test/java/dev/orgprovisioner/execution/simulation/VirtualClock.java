package dev.orgprovisioner.execution.simulation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when the simulation advances it. */
final class VirtualClock extends Clock {

  private final Instant start;
  private Instant now;

  VirtualClock(Instant start) {
    this.start = start;
    this.now = start;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }

  void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("time never goes back: " + by);
    }
    now = now.plus(by);
  }

  /** Virtual time since the schedule began. */
  Duration elapsed() {
    return Duration.between(start, now);
  }

  /** A short label of an instant, relative to the start: {@code t+12.345s}. */
  String label(Instant at) {
    return String.format("t+%.3fs", Duration.between(start, at).toNanos() / 1e9);
  }
}
