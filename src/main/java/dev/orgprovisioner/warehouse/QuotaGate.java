package dev.orgprovisioner.warehouse;

/**
 * Port: lets a warehouse call through only while the whole fleet stays under the warehouse's rate
 * quotas, and hears when the warehouse said it did not (BigQuery's 403 rateLimitExceeded).
 */
public interface QuotaGate {

  /** Blocks until one call of {@code quota} for {@code key} (a table, a dataset, the user) fits. */
  void acquire(Quota quota, String key) throws InterruptedException;

  /** The warehouse refused a call of this quota and key for its rate: slow down. */
  void rateLimited(Quota quota, String key);

  /** A gate that lets everything through (a warehouse without rate quotas). */
  QuotaGate NONE =
      new QuotaGate() {
        @Override
        public void acquire(Quota quota, String key) {}

        @Override
        public void rateLimited(Quota quota, String key) {}
      };
}
