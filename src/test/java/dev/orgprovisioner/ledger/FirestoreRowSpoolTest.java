package dev.orgprovisioner.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.execution.port.LedgerUnavailableException;
import dev.orgprovisioner.execution.port.RowSpool;
import dev.orgprovisioner.execution.port.RowSpoolContractTest;
import dev.orgprovisioner.testing.SharedEmulators;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Firestore row spool against the shared contract, on the Firestore emulator. */
class FirestoreRowSpoolTest extends RowSpoolContractTest {

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
  protected RowSpool newSpool() {
    return new FirestoreRowSpool(
        db,
        "s" + UUID.randomUUID().toString().substring(0, 8) + "_",
        Duration.ofSeconds(30),
        Clock.systemUTC());
  }

  @Test
  void anUnreachableStore_failsWithinItsDeadline_asUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (Firestore nowhere = SharedEmulators.firestoreClient("localhost:" + closedPort)) {
      RowSpool unreachable =
          new FirestoreRowSpool(nowhere, "x_", Duration.ofMillis(500), Clock.systemUTC());

      assertThatThrownBy(() -> unreachable.append(List.of(row("t", "a"))))
          .isInstanceOf(LedgerUnavailableException.class)
          .hasMessageContaining("append 1 spooled row(s)");
    }
  }

  @Test
  void aRowTooLargeForADocument_isRefusedAsPermanent_notRetriedForever() {
    String huge = "x".repeat(1_100_000);
    var values = new java.util.LinkedHashMap<String, Object>();
    values.put("row_id", "big");
    values.put("body", huge);
    var big = dev.orgprovisioner.execution.port.SpooledRow.of("d", "t", "row_id", values);

    assertThatThrownBy(() -> spool.append(List.of(big)))
        .isInstanceOf(dev.orgprovisioner.execution.port.LedgerRejectedException.class);
    assertThat(spool.count()).isZero();
  }
}
