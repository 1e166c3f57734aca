package dev.orgprovisioner.ledger;

import dev.orgprovisioner.testing.FirestoreClient;
import dev.orgprovisioner.warehouse.QuotaBuckets;
import dev.orgprovisioner.warehouse.QuotaBucketsContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The quota-window contract on the shared Firestore emulator: the fleet's shared windows. */
class FirestoreQuotaBucketsTest extends QuotaBucketsContract {

  @RegisterExtension static final FirestoreClient FIRESTORE = new FirestoreClient();

  @Override
  protected QuotaBuckets newBuckets() {
    return new FirestoreQuotaBuckets(FIRESTORE.freshStore("quotas", LedgerContract.SETTINGS));
  }
}
