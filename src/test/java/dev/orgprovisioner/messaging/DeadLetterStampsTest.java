package dev.orgprovisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.MessageLimits;
import dev.orgprovisioner.command.Rejection;
import dev.orgprovisioner.command.RejectionCode;
import dev.orgprovisioner.command.Utf8Text;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterStampsTest {

  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  private static PubSubIncomingMetadata meta(Map<String, String> attributes, int attempt) {
    return new PubSubIncomingMetadata(
        "m-1", attributes, "acme", attempt, Instant.parse("2026-12-02T09:59:00Z"), "sub");
  }

  @Test
  void rejection_isStampedWithItsReasonAndTheDeliveryThatSawIt() {
    DeadLetterMessage dead =
        DeadLetterStamps.rejected(
            new byte[] {'{', '}'},
            meta(Map.of("ce-id", "c-1"), 1),
            new Rejection(RejectionCode.INVALID_SLUG, "data.org_slug", "bad slug"),
            NOW);

    assertThat(dead.attributes())
        .containsEntry("ce-id", "c-1")
        .containsEntry("rejection-code", "INVALID_SLUG")
        .containsEntry("rejection-field", "data.org_slug")
        .containsEntry("original-message-id", "m-1")
        .containsEntry("original-ordering-key", "acme")
        .containsEntry("delivery-attempts", "1")
        .containsEntry("dead-lettered-at", NOW.toString())
        .doesNotContainKey("original-publish-time");
  }

  @Test
  void exhaustedCommand_withALongCause_andAFullSetOfAttributes_staysWithinTheLimits() {
    Map<String, String> flood = new LinkedHashMap<>();
    for (int i = 0; i < MessageLimits.MAX_ATTRIBUTES; i++) {
      flood.put("x-" + i, "v");
    }

    DeadLetterMessage dead =
        DeadLetterStamps.exhausted(
            new byte[] {'{', '}'},
            meta(flood, 5),
            new IllegalStateException("x".repeat(5_000)),
            NOW);

    assertThat(dead.attributes()).hasSizeLessThanOrEqualTo(MessageLimits.MAX_ATTRIBUTES);
    assertThat(dead.attributes())
        .containsEntry("rejection-code", "DELIVERY_ATTEMPTS_EXHAUSTED")
        .containsEntry("delivery-attempts", "5")
        .containsEntry("original-publish-time", "2026-12-02T09:59:00Z");
    assertThat(dead.attributes().get("rejection-message")).endsWith(Utf8Text.TRUNCATED);
    assertThat(PubSubLimits.problem(dead.data().length, dead.attributes(), "")).isNull();
    DeadLetterMessage.Restored back = DeadLetterMessage.restore(dead.data(), dead.attributes());
    flood.forEach((k, v) -> assertThat(back.original(k)).isEqualTo(v));
  }
}
