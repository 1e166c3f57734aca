package dev.orgprovisioner.execution.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.testing.SharedEmulators;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A few seeded schedules against the Firestore ledger on the emulator: the same invariants as on
 * the in-memory ledger, with Firestore's transactions underneath. (Job ids come from Firestore's
 * adapter, so a seed replays the same actions but not byte for byte the same trace.)
 */
class ExecutionSimulationFirestoreTest {

  private static final int SCHEDULES = Integer.getInteger("simulation.firestore.schedules", 3);
  private static Firestore db;

  @BeforeAll
  static void connect() {
    db = SharedEmulators.firestoreClient();
  }

  @AfterAll
  static void close() throws Exception {
    db.close();
  }

  @Test
  void schedulesOnTheFirestoreLedger_keepEveryInvariant() {
    SimulationConfig config = SimulationConfig.defaults().withActions(60);
    long started = System.nanoTime();
    SimulationRunner.Report report =
        new SimulationRunner(
                config,
                seed -> SharedEmulators.freshLedger(db, "sim" + seed, config.leaseDuration()),
                UnaryOperator.identity())
            .run(Long.getLong("simulation.seed", 20_260_302L), SCHEDULES);
    System.out.printf(
        "SIMULATION firestore: %s wall=%.1fs%n",
        report.stats().summary(), (System.nanoTime() - started) / 1e9);
    if (report.failed()) {
      System.out.println(report.failureText());
    }
    assertThat(report.failureText()).isNull();
    assertThat(report.stats().jobs).isPositive();
    assertThat(report.stats().calls).isPositive();
  }
}
