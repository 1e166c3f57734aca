package dev.orgprovisioner.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.orgprovisioner.emulator.EmulatorProcess;
import dev.orgprovisioner.emulator.Emulators;
import dev.orgprovisioner.testing.SharedEmulators;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * The ledger's readiness check against a Firestore emulator of its own (the shared one serves other
 * tests): DOWN within its timeout when Firestore stops, UP again when it is back.
 */
class ReadinessProbeTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @Test
  void ledgerReadiness_goesDownQuicklyWhenFirestoreStops_andUpWhenItIsBack() throws Exception {
    EmulatorProcess emulator = Emulators.startFirestore();
    int port = emulator.port();
    Firestore db =
        FirestoreOptions.newBuilder()
            .setProjectId(SharedEmulators.PROJECT)
            .setEmulatorHost(emulator.hostPort())
            .build()
            .getService();
    EmulatorProcess restarted = null;
    try {
      HealthCheck check =
          HealthChecks.ledgerCheck(
              SharedEmulators.freshLedger(db, "health", Duration.ofSeconds(30)), TIMEOUT);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> check.call().getStatus() == HealthCheckResponse.Status.UP);

      emulator.stop();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> check.call().getStatus() == HealthCheckResponse.Status.DOWN);
      long start = System.nanoTime();
      HealthCheckResponse down = check.call();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
      assertThat(down.getData().map(Map::keySet).orElseThrow()).contains("error");
      assertThat(took).as("a probe never hangs").isLessThan(TIMEOUT.plusSeconds(2));

      restarted = Emulators.startFirestore(port);
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> check.call().getStatus() == HealthCheckResponse.Status.UP);
    } finally {
      db.close();
      emulator.stop();
      if (restarted != null) {
        restarted.stop();
      }
    }
  }
}
