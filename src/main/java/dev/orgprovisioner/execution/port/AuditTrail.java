package dev.orgprovisioner.execution.port;

import dev.orgprovisioner.execution.JobAudit;

/**
 * Port: an append-only record of what jobs did, for people and reports (the warehouse's {@code
 * org_meta_*} tables). Recording never fails a job: implementations buffer and log.
 */
public interface AuditTrail {

  void record(JobAudit audit);

  /** An audit trail that keeps nothing. */
  AuditTrail NONE = audit -> {};
}
