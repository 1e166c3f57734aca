package dev.orgprovisioner.rollout;

/** Where a roll-out stands. */
public enum RolloutStatus {
  /** A wave's syncs are queued or running. */
  RUNNING,
  /** A wave succeeded; the next starts after the bake time. */
  BAKING,
  /** Stopped by its failure threshold, non-additive drift or an operator; resumable. */
  HALTED,
  /** Every wave done. */
  COMPLETED,
  /** Stopped for good by an operator. */
  ABORTED;

  /** Whether a driver is (or should be) moving it on. */
  public boolean active() {
    return this == RUNNING || this == BAKING;
  }
}
