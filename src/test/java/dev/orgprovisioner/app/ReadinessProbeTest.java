package dev.orgprovisioner.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.testing.SharedEmulators;
import dev.orgprovisioner.testing.TcpForwarder;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * The ledger's readiness check with its link to Firestore cut (a TCP forwarder in front of the
 * shared emulator drops and refuses connections): DOWN within its timeout, UP again once the link
 * is back.
 */
class ReadinessProbeTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @Test
  void ledgerReadiness_goesDownQuicklyWhenFirestoreIsUnreachable_andUpWhenItIsBack()
      throws Exception {
    try (TcpForwarder link = TcpForwarder.to(SharedEmulators.firestore().hostPort())) {
      Firestore db = SharedEmulators.firestoreClient(link.hostPort());
      try {
        HealthCheck check =
            HealthChecks.ledgerCheck(
                SharedEmulators.freshLedger(db, "health", Duration.ofSeconds(30)), TIMEOUT);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> check.call().getStatus() == HealthCheckResponse.Status.UP);

        link.cut();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> check.call().getStatus() == HealthCheckResponse.Status.DOWN);
        long start = System.nanoTime();
        HealthCheckResponse down = check.call();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getData().map(Map::keySet).orElseThrow()).contains("error");
        assertThat(took).as("a probe never hangs").isLessThan(TIMEOUT.plusSeconds(2));

        link.restore();
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> check.call().getStatus() == HealthCheckResponse.Status.UP);
      } finally {
        db.close();
      }
    }
  }
}
