package dev.orgprovisioner.testing;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.ledger.LedgerSettings;
import dev.orgprovisioner.ledger.LedgerStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Firestore client on the shared emulator for one test class: register it as a static field
 * ({@code @RegisterExtension static final FirestoreClient FIRESTORE = new FirestoreClient();}).
 */
public final class FirestoreClient implements BeforeAllCallback, AfterAllCallback {

  private Firestore db;

  @Override
  public void beforeAll(ExtensionContext context) {
    db = SharedEmulators.firestoreClient();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    db.close();
  }

  public Firestore db() {
    return db;
  }

  /** Ledger collections of their own (a fresh prefix) with {@code template}'s other settings. */
  public LedgerStore freshStore(String name, LedgerSettings template) {
    return new LedgerStore(db, SharedEmulators.freshLedgerSettings(name, template));
  }
}
