package dev.orgprovisioner.warehouse;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * Lets a mutating DML statement run only while it holds one of its table's fleet-wide slots ({@link
 * DmlSlots}), waiting for one with growing pauses up to the statement's own deadline.
 */
public final class DmlSlotGate {

  private static final Logger LOG = Logger.getLogger(DmlSlotGate.class.getName());

  /** First and longest pause between two looks at a table's slots. */
  static final Duration FIRST_PAUSE = Duration.ofMillis(20);

  static final Duration LONGEST_PAUSE = Duration.ofMillis(500);

  /**
   * Added to a statement's deadline for its lease: BigQuery stops the job by then (its job
   * timeout), give or take the instances' clock skew.
   */
  static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

  /** A gate that never waits (an instance alone, or a fleet small enough not to need slots). */
  public static final DmlSlotGate NONE = new DmlSlotGate(null, 0, Clock.systemUTC());

  private final DmlSlots slots;
  private final int perTable;
  private final Clock clock;

  /**
   * @param perTable slots per table the fleet shares ({@link DmlSlots#PER_TABLE}; fewer in tests)
   */
  public DmlSlotGate(DmlSlots slots, int perTable, Clock clock) {
    if (slots != null && perTable < 1) {
      throw new IllegalArgumentException("perTable must be at least 1: " + perTable);
    }
    this.slots = slots;
    this.perTable = perTable;
    this.clock = clock;
  }

  /** A held slot: closing it frees it. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits at most {@code wait} for a slot of {@code table} (e.g. {@code dataset.table}) for a
   * statement that ends within {@code wait}.
   *
   * @throws TimeoutException no slot came free within {@code wait}
   * @throws WarehouseException (transient) the slots' store failed
   */
  public Held acquire(String table, Duration wait) throws InterruptedException, TimeoutException {
    if (slots == null) {
      return () -> {};
    }
    long deadline = System.nanoTime() + wait.toNanos();
    Duration lease = wait.plus(LEASE_MARGIN);
    long pause = FIRST_PAUSE.toNanos();
    while (true) {
      Optional<DmlSlots.Slot> slot = take(table, lease);
      if (slot.isPresent()) {
        return () -> release(slot.get());
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException(
            "no DML slot of " + table + " came free within " + wait.toMillis() + " ms");
      }
      // Jittered, so the instances waiting for one table do not look again all at once.
      LockSupport.parkNanos(Math.min(left, ThreadLocalRandom.current().nextLong(pause / 2, pause)));
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted waiting for a DML slot of " + table);
      }
      pause = Math.min(pause * 2, LONGEST_PAUSE.toNanos());
    }
  }

  /** One look at the table's slots; the store failing fails the statement as transient. */
  private Optional<DmlSlots.Slot> take(String table, Duration lease) {
    try {
      return slots.tryTake(table, perTable, lease, clock.instant());
    } catch (RuntimeException e) {
      throw new WarehouseException(
          WarehouseException.Kind.TRANSIENT,
          "could not take a DML slot of " + table + ": " + e.getMessage(),
          e);
    }
  }

  private void release(DmlSlots.Slot slot) {
    try {
      slots.release(slot);
    } catch (RuntimeException e) {
      // Not fatal: the lease frees itself at its expiry.
      LOG.warning(
          "could not free DML slot "
              + slot.index()
              + " of "
              + slot.table()
              + ": "
              + e.getMessage());
    }
  }
}
