package dev.orgprovisioner.warehouse;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Port: the fleet's DML slots per table, kept where every worker instance sees them (the ledger): a
 * mutating statement holds one while it runs, so the fleet together never has more than {@code
 * slots} outstanding on a table. A slot is a lease: one whose holder died frees itself at its
 * expiry.
 */
public interface DmlSlots {

  /**
   * Slots per table: BigQuery takes {@link Quota#MUTATING_DML_PER_TABLE} (22) outstanding; two stay
   * free for statements outside the slots (a job the worker gave up on that BigQuery has not
   * stopped yet, an operator's own DML).
   */
  int PER_TABLE = Quota.MUTATING_DML_PER_TABLE - 2;

  /**
   * Takes one of the {@code slots} slots of {@code table} (free, or its lease expired by {@code
   * now}) until {@code now + lease}; empty when every one is held.
   */
  Optional<Slot> tryTake(String table, int slots, Duration lease, Instant now);

  /** Frees {@code slot} if it is still this holder's (a lease expired and taken again is not). */
  void release(Slot slot);

  /**
   * Whether a fleet of {@code instances} needs the shared slots: each instance has at most one
   * MERGE per table in flight (group commit), so up to {@link #PER_TABLE} instances cannot exceed
   * them, and a ledger transaction per statement would be cost without use.
   */
  static boolean neededFor(int instances) {
    return instances > PER_TABLE;
  }

  /**
   * One held slot.
   *
   * @param holder who holds it (unique per take)
   * @param expiresAt when it frees itself if not released
   */
  record Slot(String table, int index, String holder, Instant expiresAt) {}
}
