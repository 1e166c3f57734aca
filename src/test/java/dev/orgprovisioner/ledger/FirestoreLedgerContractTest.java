package dev.orgprovisioner.ledger;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.testing.SharedEmulators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The ledger contract held by the Firestore ledger, on the shared Firestore emulator. */
class FirestoreLedgerContractTest extends LedgerContractTest {

  private static Firestore db;
  private LedgerSettings settings;

  @BeforeAll
  static void connect() {
    db = SharedEmulators.firestoreClient();
  }

  @AfterAll
  static void disconnect() throws Exception {
    db.close();
  }

  @Override
  protected Ledger newLedger(LedgerSettings template) {
    settings = SharedEmulators.freshLedgerSettings("contract", template);
    return new FirestoreLedger(db, settings);
  }

  /** What the TTL policy does once the key expired: the document is gone. */
  @Override
  public void keyDeletedByTtl(CommandEnvelope envelope) {
    try {
      db.collection(settings.collectionPrefix() + "idempotency_keys")
          .document(FirestoreLedger.keyId(envelope.scope()))
          .delete()
          .get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
