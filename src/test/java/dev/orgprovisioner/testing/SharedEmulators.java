package dev.orgprovisioner.testing;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.orgprovisioner.emulator.EmulatorProcess;
import dev.orgprovisioner.emulator.Emulators;

/**
 * One Pub/Sub and one Firestore emulator per test JVM, started on first use and stopped by the
 * launcher's shutdown hook. Tests isolate themselves by unique names, not by fresh emulators.
 */
public final class SharedEmulators {

  public static final String PROJECT = "test-project";

  private static EmulatorProcess pubSub;
  private static EmulatorProcess firestore;

  private SharedEmulators() {}

  public static synchronized EmulatorProcess pubSub() {
    if (pubSub == null || !pubSub.isAlive()) {
      pubSub = Emulators.startPubSub();
    }
    return pubSub;
  }

  public static synchronized EmulatorProcess firestore() {
    if (firestore == null || !firestore.isAlive()) {
      firestore = Emulators.startFirestore();
    }
    return firestore;
  }

  /** Replaces the Firestore handle after a test restarted it on the same port. */
  public static synchronized void firestoreRestarted(EmulatorProcess restarted) {
    firestore = restarted;
  }

  /** A Firestore client for the shared emulator (no credentials: see docs/stack-facts.md). */
  public static Firestore firestoreClient() {
    return firestoreClient(firestore().hostPort());
  }

  /** A Firestore client for the emulator at {@code hostPort} (e.g. behind a TcpForwarder). */
  public static Firestore firestoreClient(String hostPort) {
    return FirestoreOptions.newBuilder()
        .setProjectId(PROJECT)
        .setEmulatorHost(hostPort)
        .build()
        .getService();
  }

  /**
   * A ledger on the shared Firestore emulator in collections of its own (a fresh prefix), so tests
   * never see each other's keys and jobs.
   */
  public static dev.orgprovisioner.ledger.FirestoreLedger freshLedger(
      Firestore db, String prefix, java.time.Duration lease) {
    return new dev.orgprovisioner.ledger.FirestoreLedger(
        db,
        new dev.orgprovisioner.ledger.LedgerSettings(
            prefix + java.util.UUID.randomUUID().toString().substring(0, 8) + "_",
            java.time.Duration.ofDays(7),
            lease,
            20,
            java.time.Duration.ofSeconds(60),
            java.time.Duration.ofDays(30),
            java.time.Duration.ofDays(7)));
  }

  /** {@code template} in collections of their own: a fresh prefix starting with {@code prefix}. */
  public static dev.orgprovisioner.ledger.LedgerSettings freshLedgerSettings(
      String prefix, dev.orgprovisioner.ledger.LedgerSettings template) {
    return new dev.orgprovisioner.ledger.LedgerSettings(
        prefix + java.util.UUID.randomUUID().toString().substring(0, 8) + "_",
        template.keyTtl(),
        template.leaseDuration(),
        template.transactionAttempts(),
        template.callTimeout(),
        template.jobRetention(),
        template.outboxRetention());
  }
}
