package dev.orgprovisioner.execution.port;

import dev.orgprovisioner.execution.JobAudit;

/**
 * Port: an append-only record of what jobs did, for people and reports (the warehouse's {@code
 * org_meta_*} tables).
 */
public interface AuditTrail {

  /**
   * Records one fact durably: returns only once it can no longer be lost (it may reach the
   * warehouse later). Recording the same fact again ({@link JobAudit#id()}) never duplicates it.
   *
   * @throws LedgerUnavailableException the durable store cannot be reached: nothing is promised,
   *     and the caller should not acknowledge the step or transition it was recording
   */
  void record(JobAudit audit);

  /** An audit trail that keeps nothing. */
  AuditTrail NONE = audit -> {};
}
