package dev.orgprovisioner.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.execution.port.LedgerRejectedException;
import dev.orgprovisioner.execution.port.LedgerUnavailableException;
import dev.orgprovisioner.testing.Envelopes;
import dev.orgprovisioner.testing.SharedEmulators;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger contract held by the Firestore ledger, on the shared Firestore emulator; and, for
 * Firestore only, how its failures are classified.
 */
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

  @Test
  void eventOverTheDocumentSizeLimit_isRejectedForGood_andNothingIsStored() {
    OutboxEvent huge =
        new OutboxEvent(
            "ev-huge", "drift.detected", "acme", Map.of(), "x".repeat(1_100_000), T0, false);

    assertThatThrownBy(() -> ledger().storeEvents(List.of(huge)))
        .isInstanceOf(LedgerRejectedException.class)
        .hasMessageContaining("store 1 event(s) failed: INVALID_ARGUMENT");
    assertThat(ledger().event("ev-huge")).isEmpty();
  }

  @Test
  void reservedDocumentId_isRejectedForGood() {
    assertThatThrownBy(() -> ledger().saveReport("__reserved__", "{}", T0))
        .isInstanceOf(LedgerRejectedException.class)
        .hasMessageContaining("save report __reserved__ failed: INVALID_ARGUMENT");
  }

  @Test
  void firestoreNotAnswering_isUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    LedgerSettings quick =
        new LedgerSettings(
            "down_",
            KEY_TTL,
            LEASE,
            1,
            Duration.ofSeconds(1),
            SETTINGS.jobRetention(),
            SETTINGS.outboxRetention());
    try (Firestore unreachable = SharedEmulators.firestoreClient("localhost:" + closedPort)) {
      FirestoreLedger down = new FirestoreLedger(unreachable, quick);

      assertThatThrownBy(() -> down.job("any"))
          .isInstanceOf(LedgerUnavailableException.class)
          .hasMessageStartingWith("read job");
      assertThatThrownBy(() -> down.claim(Envelopes.onboard("acme", "c1"), T0))
          .isInstanceOf(LedgerUnavailableException.class)
          .hasMessageStartingWith("claim 1 command(s)");
    }
  }
}
