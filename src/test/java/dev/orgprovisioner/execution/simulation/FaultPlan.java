package dev.orgprovisioner.execution.simulation;

import java.util.SplittableRandom;

/** Decides, from its own seeded stream, which ledger, warehouse and publish calls fail, and how. */
final class FaultPlan {

  /** How a ledger call fails. */
  enum LedgerFault {
    NONE,
    /** Fails before it is applied (unreachable). */
    BEFORE,
    /** Is applied, then the caller sees a timeout: ambiguous. */
    AFTER,
    /** Refused for good. */
    REJECTED
  }

  /** How a warehouse call fails. */
  enum WarehouseFault {
    NONE,
    /** 5xx before anything happened. */
    TRANSIENT_BEFORE,
    /** 5xx after the change was made. */
    TRANSIENT_AFTER,
    /** Invalid request: retrying will not help. */
    PERMANENT
  }

  private final SplittableRandom random;
  private final SimulationConfig config;
  private final SimulationStats stats;
  private boolean on = true;

  FaultPlan(SplittableRandom random, SimulationConfig config, SimulationStats stats) {
    this.random = random;
    this.config = config;
    this.stats = stats;
  }

  boolean on() {
    return on;
  }

  /** Faults stop for good (the drain phase). */
  void stop() {
    on = false;
  }

  LedgerFault ledger() {
    if (!on || random.nextDouble() >= config.ledgerFaultRate()) {
      return LedgerFault.NONE;
    }
    stats.ledgerFaults++;
    double r = random.nextDouble();
    return r < 0.04 ? LedgerFault.REJECTED : r < 0.52 ? LedgerFault.BEFORE : LedgerFault.AFTER;
  }

  WarehouseFault warehouse() {
    if (!on || random.nextDouble() >= config.warehouseFaultRate()) {
      return WarehouseFault.NONE;
    }
    stats.warehouseFaults++;
    double r = random.nextDouble();
    return r < 0.1
        ? WarehouseFault.PERMANENT
        : r < 0.55 ? WarehouseFault.TRANSIENT_BEFORE : WarehouseFault.TRANSIENT_AFTER;
  }

  boolean publishFails() {
    if (!on || random.nextDouble() >= config.ledgerFaultRate()) {
      return false;
    }
    stats.publishFaults++;
    return true;
  }
}
