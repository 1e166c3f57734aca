package dev.orgprovisioner.testing;

import dev.orgprovisioner.app.AuditConfig;
import dev.orgprovisioner.provisioning.WarehouseAuditTrail;
import dev.orgprovisioner.warehouse.Warehouse;
import java.time.Clock;

/** The audit trail as hand-wired workers use it: rows queued in memory, drained as configured. */
public final class AuditTrails {

  private AuditTrails() {}

  /** Drains into {@code centralDataset} at {@code config}'s batch size and interval. */
  public static WarehouseAuditTrail inMemory(
      Warehouse warehouse, String centralDataset, Clock clock, AuditConfig config) {
    return new WarehouseAuditTrail(
        warehouse, centralDataset, clock, config.drainBatchSize(), config.drainInterval());
  }
}
