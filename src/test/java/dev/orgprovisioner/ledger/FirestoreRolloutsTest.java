package dev.orgprovisioner.ledger;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.rollout.port.RolloutRecords;
import dev.orgprovisioner.testing.SharedEmulators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The roll-out records contract on the shared Firestore emulator. */
class FirestoreRolloutsTest extends RolloutRecordsContract {

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
  protected RolloutRecords newRecords() {
    return new FirestoreRollouts(
        new LedgerStore(
            db, SharedEmulators.freshLedgerSettings("rollouts", LedgerContract.SETTINGS)));
  }
}
