package dev.orgprovisioner.ledger;

import dev.orgprovisioner.rollout.port.RolloutRecords;
import dev.orgprovisioner.testing.FirestoreClient;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The roll-out records contract on the shared Firestore emulator. */
class FirestoreRolloutsTest extends RolloutRecordsContract {

  @RegisterExtension static final FirestoreClient FIRESTORE = new FirestoreClient();

  @Override
  protected RolloutRecords newRecords() {
    return new FirestoreRollouts(FIRESTORE.freshStore("rollouts", LedgerContract.SETTINGS));
  }
}
