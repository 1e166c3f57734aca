package dev.orgprovisioner.notify;

/**
 * Status of one history row. {@code RETRYING} marks a transient failure that will be retried, so
 * that only a final failure reads {@code FAILED} (the stats view counts FAILED rows as failures).
 */
public enum DeliveryStatus {
  QUEUED,
  RETRYING,
  SENT,
  FAILED,
  SKIPPED
}
