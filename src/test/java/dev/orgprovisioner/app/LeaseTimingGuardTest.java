package dev.orgprovisioner.app;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lease timings are refused, naming the keys, when they break the protocol's assumptions. */
class LeaseTimingGuardTest {

  @Test
  void theDefaults_keepTheProtocolsAssumptions() {
    assertThatCode(
            () ->
                LeaseTimingGuard.check(
                    Duration.ofSeconds(90),
                    Duration.ofSeconds(15),
                    Duration.ofSeconds(45),
                    Optional.of(List.of(Duration.ofSeconds(30), Duration.ofSeconds(40)))))
        .doesNotThrowAnyException();
  }

  @Test
  void aLeaseThatOneMissedHeartbeatWouldStop_isRefused() {
    assertThatThrownBy(
            () ->
                LeaseTimingGuard.check(
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(20),
                    Duration.ofSeconds(20),
                    Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ledger.lease-duration")
        .hasMessageContaining("execution.heartbeat-interval")
        .hasMessageContaining("execution.lease-margin");
  }

  @Test
  void aWarehouseTimeoutLongerThanTheMargin_isRefused() {
    assertThatThrownBy(
            () ->
                LeaseTimingGuard.check(
                    Duration.ofSeconds(90),
                    Duration.ofSeconds(15),
                    Duration.ofSeconds(45),
                    Optional.of(List.of(Duration.ofSeconds(30), Duration.ofMinutes(5)))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("warehouse.bigquery.call-timeout and query-timeout (PT5M)")
        .hasMessageContaining("execution.lease-margin (PT45S)");
  }
}
