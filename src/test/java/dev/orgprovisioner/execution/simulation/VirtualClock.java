package dev.orgprovisioner.execution.simulation;

import dev.orgprovisioner.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;

/** The simulation's clock: moves only when advanced, and labels instants relative to its start. */
final class VirtualClock extends ManualClock {

  private final Instant start;

  VirtualClock(Instant start) {
    super(start);
    this.start = start;
  }

  /** Virtual time since the schedule began. */
  Duration elapsed() {
    return Duration.between(start, instant());
  }

  /** A short label of an instant, relative to the start: {@code t+12.345s}. */
  String label(Instant at) {
    return String.format("t+%.3fs", Duration.between(start, at).toNanos() / 1e9);
  }
}
