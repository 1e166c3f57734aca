package dev.orgprovisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.notify.NotifyEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a binary-mode CloudEvent message into the notifier's event. */
class NotificationConsumerTest {

  @Test
  void binaryModeEvent_becomesANotifyEvent_withOrgFromSubjectOrData() {
    byte[] data =
        "{\"org_slug\":\"acme\",\"dataset\":\"acme_prod\"}".getBytes(StandardCharsets.UTF_8);

    NotifyEvent event =
        NotificationConsumer.event(
            Map.of(
                "ce-id", "e1",
                "ce-type", "org.onboarded",
                "ce-source", "//org-provisioner/prod",
                "ce-time", "2026-01-01T00:00:00Z"),
            data);

    assertThat(event.id()).isEqualTo("e1");
    assertThat(event.orgSlug()).isEqualTo("acme");
    assertThat(event.time()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(event.text("dataset")).isEqualTo("acme_prod");
    assertThat(event.json()).isEqualTo(new String(data, StandardCharsets.UTF_8));
  }

  @Test
  void platformEventWithoutOrg_isFiledUnderPlatform() {
    NotifyEvent event =
        NotificationConsumer.event(
            Map.of("ce-id", "e2", "ce-type", "central.bootstrap.failed"),
            "{\"error\":\"x\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(event.orgSlug()).isEmpty();
    assertThat(event.historyOrg()).isEqualTo("_platform");
  }

  @Test
  void messageWithoutIdOrType_orWithNonJsonData_isRefusedNamingTheProblem() {
    assertThatThrownBy(() -> NotificationConsumer.event(Map.of("ce-type", "x"), new byte[0]))
        .hasMessageContaining("ce-id");
    assertThatThrownBy(
            () ->
                NotificationConsumer.event(
                    Map.of("ce-id", "e", "ce-type", "x"),
                    "not json".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("JSON");
  }
}
