package dev.orgprovisioner.ledger;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.testing.SharedEmulators;
import dev.orgprovisioner.warehouse.QuotaBuckets;
import dev.orgprovisioner.warehouse.QuotaBucketsContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The quota-window contract on the shared Firestore emulator: the fleet's shared windows. */
class FirestoreQuotaBucketsTest extends QuotaBucketsContract {

  private static Firestore db;

  @BeforeAll
  static void connect() {
    db = SharedEmulators.firestoreClient();
  }

  @AfterAll
  static void disconnect() throws Exception {
    db.close();
  }

  @Override
  protected QuotaBuckets newBuckets() {
    return new FirestoreQuotaBuckets(
        new LedgerStore(
            db, SharedEmulators.freshLedgerSettings("quotas", LedgerContract.SETTINGS)));
  }
}
