package dev.orgprovisioner.warehouse;

/** The quota-window contract in one process. */
class LocalQuotaBucketsTest extends QuotaBucketsContract {

  @Override
  protected QuotaBuckets newBuckets() {
    return new LocalQuotaBuckets();
  }
}
