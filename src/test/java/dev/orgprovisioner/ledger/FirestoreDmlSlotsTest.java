package dev.orgprovisioner.ledger;

import dev.orgprovisioner.testing.FirestoreClient;
import dev.orgprovisioner.warehouse.DmlSlots;
import dev.orgprovisioner.warehouse.DmlSlotsContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The DML-slot contract on the shared Firestore emulator: the fleet's shared slots. */
class FirestoreDmlSlotsTest extends DmlSlotsContract {

  @RegisterExtension static final FirestoreClient FIRESTORE = new FirestoreClient();

  @Override
  protected DmlSlots newSlots() {
    return new FirestoreDmlSlots(FIRESTORE.freshStore("dml", LedgerContract.SETTINGS));
  }
}
