package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.testing.RolloutFleet;
import dev.orgprovisioner.warehouse.LocalQuotaBuckets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A roll-out of one new column by three worker instances against the quota-enforcing stub, small
 * enough for the suite: paced, no rate-limit error reaches a job (the bench runs 1,000 orgs).
 */
class FleetRolloutPacingTest {

  private static final int ORGS = 40;
  private static RolloutFleet fleet;

  @BeforeAll
  static void fleet(@TempDir Path scratch) {
    fleet = new RolloutFleet(ORGS, scratch);
  }

  @AfterAll
  static void stop() {
    fleet.shutdown();
  }

  @Test
  void threePacedInstances_rollEveryOrgOut_withNoRateLimitErrorAtAll() throws Exception {
    RolloutFleet.Result result =
        fleet.rollOut(
            new RolloutFleet.Options(
                ORGS, 1.0, true, new LocalQuotaBuckets(), 4, 12, Duration.ofSeconds(90)));

    System.out.println("FLEET-ROLLOUT paced: " + result);
    assertThat(result.outcome()).isEqualTo("rollout.completed");
    assertThat(result.syncs()).isEqualTo(ORGS);
    assertThat(result.failedSyncs()).isZero();
    assertThat(result.rejected()).isEmpty();
    assertThat(result.retries()).isZero();
    assertThat(result.surfaced()).isZero();
    assertThat(result.requests().get("tables.patch")).isGreaterThanOrEqualTo(ORGS);
  }
}
