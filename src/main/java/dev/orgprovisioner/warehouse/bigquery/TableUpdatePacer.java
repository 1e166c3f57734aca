package dev.orgprovisioner.warehouse.bigquery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/** Keeps metadata updates of each table within BigQuery's 5 per 10 seconds per table. */
final class TableUpdatePacer {

  /** Waits for a number of nanoseconds; replaceable so tests never sleep. */
  interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final int maxUpdates;
  private final long windowNanos;
  private final LongSupplier clock;
  private final Sleeper sleeper;
  private final Map<String, Deque<Long>> recent = new HashMap<>();

  TableUpdatePacer(int maxUpdates, Duration window, LongSupplier clock, Sleeper sleeper) {
    this.maxUpdates = maxUpdates;
    this.windowNanos = window.toNanos();
    this.clock = clock;
    this.sleeper = sleeper;
  }

  static TableUpdatePacer standard() {
    return new TableUpdatePacer(
        5,
        Duration.ofSeconds(10),
        System::nanoTime,
        nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  /** Blocks until one more update of {@code table} fits in the window, then records it. */
  void acquire(String table) throws InterruptedException {
    while (true) {
      long wait;
      synchronized (this) {
        long now = clock.getAsLong();
        Deque<Long> times = recent.computeIfAbsent(table, k -> new ArrayDeque<>());
        while (!times.isEmpty() && now - times.peekFirst() >= windowNanos) {
          times.pollFirst();
        }
        if (times.size() < maxUpdates) {
          times.addLast(now);
          if (recent.size() > 10_000) {
            recent.values().removeIf(d -> now - d.peekLast() >= windowNanos);
          }
          return;
        }
        wait = times.peekFirst() + windowNanos - now;
      }
      sleeper.sleep(wait);
    }
  }
}
