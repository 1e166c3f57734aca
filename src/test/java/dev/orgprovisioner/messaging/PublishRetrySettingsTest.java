package dev.orgprovisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.retrying.RetrySettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublishRetrySettingsTest {

  private static ChannelSettings.Outbound events(Map<String, String> extra) {
    return ChannelSettings.outbound(
        PubSubEmulatorFixture.outgoing("127.0.0.1:1", "events", "t-events", extra));
  }

  @Test
  void outgoingChannel_waitsAtMostFiveSecondsBetweenPublishAttemptsByDefault() {
    assertThat(events(Map.of()).publishMaxRetryDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(events(Map.of("publish-max-retry-delay", "500ms")).publishMaxRetryDelay())
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void retrySettings_capTheWaitButKeepTheClientsDeadlines() {
    RetrySettings settings = PubSubSink.retrySettings(Duration.ofSeconds(5));

    assertThat(settings.getMaxRetryDelayDuration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.getInitialRetryDelayDuration()).isEqualTo(Duration.ofMillis(100));
    assertThat(settings.getTotalTimeoutDuration()).isEqualTo(Duration.ofMinutes(10));
    assertThat(PubSubSink.retrySettings(Duration.ofMillis(50)).getInitialRetryDelayDuration())
        .isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void zeroOrUnreadableDelay_isRejectedNamingTheAttribute() {
    assertThatThrownBy(() -> events(Map.of("publish-max-retry-delay", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'publish-max-retry-delay' is '0'")
        .hasMessageContaining("above zero");
    assertThatThrownBy(() -> events(Map.of("publish-max-retry-delay", "soon")))
        .hasMessageContaining("'publish-max-retry-delay' is 'soon'");
  }
}
