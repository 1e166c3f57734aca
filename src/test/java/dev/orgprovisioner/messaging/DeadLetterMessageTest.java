package dev.orgprovisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.MessageLimits;
import dev.orgprovisioner.command.Utf8Text;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterMessageTest {

  private static final byte[] DATA = "{\"org_slug\":\"acme\\n\"}".getBytes(StandardCharsets.UTF_8);

  private static Map<String, String> stamps() {
    Map<String, String> stamps = new LinkedHashMap<>();
    stamps.put("rejection-code", "INVALID_SLUG");
    stamps.put("rejection-field", "data.org_slug");
    stamps.put("rejection-message", "data.org_slug: does not match");
    stamps.put("original-message-id", "42");
    stamps.put("delivery-attempts", "1");
    stamps.put("dead-lettered-at", "2026-12-02T10:00:00Z");
    return stamps;
  }

  private static Map<String, String> attributes(int count) {
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("ce-id", "cmd-1");
    attrs.put("ce-type", "org.onboard.requested");
    for (int i = 0; attrs.size() < count; i++) {
      attrs.put("x-extra-" + i, "v" + i);
    }
    return attrs;
  }

  @Test
  void commandThatFits_keepsItsDataAndAttributes_withoutEnvelope() {
    DeadLetterMessage dead = DeadLetterMessage.of(DATA, attributes(10), stamps());

    assertThat(dead.data()).isEqualTo(DATA);
    assertThat(dead.enveloped()).isZero();
    assertThat(dead.attributes())
        .doesNotContainKey(DeadLetterMessage.ENVELOPE)
        .containsAllEntriesOf(attributes(10))
        .containsAllEntriesOf(stamps());
  }

  @Test
  void attributeFlood_movesWhatDoesNotFitIntoTheEnvelope_andRestoreGivesAllBack() {
    Map<String, String> original = attributes(98);

    DeadLetterMessage dead = DeadLetterMessage.of(DATA, original, stamps());

    assertThat(dead.attributes()).hasSizeLessThanOrEqualTo(MessageLimits.MAX_ATTRIBUTES);
    assertThat(dead.attributes())
        .containsEntry(DeadLetterMessage.ENVELOPE, DeadLetterMessage.ENVELOPE_V1)
        .containsAllEntriesOf(stamps());
    assertThat(dead.enveloped()).isPositive();
    assertThat(PubSubLimits.problem(dead.data().length, dead.attributes(), "")).isNull();

    DeadLetterMessage.Restored back = DeadLetterMessage.restore(dead.data(), dead.attributes());
    assertThat(back.data()).isEqualTo(DATA);
    original.forEach((k, v) -> assertThat(back.original(k)).as(k).isEqualTo(v));
    assertThat(back.published()).doesNotContainKey(DeadLetterMessage.ENVELOPE);
  }

  @Test
  void oversizedKeysAndValues_andReservedOnes_travelInTheEnvelope() {
    Map<String, String> original = attributes(3);
    String longKey = "k".repeat(300);
    original.put(longKey, "v");
    original.put("x-long-value", "\u20AC".repeat(500));
    original.put("googclient_thing", "reserved");

    DeadLetterMessage dead = DeadLetterMessage.of(DATA, original, stamps());

    assertThat(dead.attributes())
        .doesNotContainKeys(longKey, "x-long-value", "googclient_thing")
        .containsEntry("ce-id", "cmd-1");
    assertThat(dead.enveloped()).isEqualTo(3);
    DeadLetterMessage.Restored back = DeadLetterMessage.restore(dead.data(), dead.attributes());
    assertThat(back.moved())
        .containsEntry(longKey, "v")
        .containsEntry("x-long-value", "\u20AC".repeat(500))
        .containsEntry("googclient_thing", "reserved");
  }

  @Test
  void originalAttributeNamedLikeAStamp_isKeptInTheEnvelope_andTheStampWins() {
    Map<String, String> original = attributes(3);
    original.put("rejection-code", "forged");

    DeadLetterMessage dead = DeadLetterMessage.of(DATA, original, stamps());

    assertThat(dead.attributes()).containsEntry("rejection-code", "INVALID_SLUG");
    DeadLetterMessage.Restored back = DeadLetterMessage.restore(dead.data(), dead.attributes());
    assertThat(back.original("rejection-code")).isEqualTo("forged");
  }

  @Test
  void longStampValues_areCutVisiblyToTheValueLimit() {
    Map<String, String> stamps = stamps();
    stamps.put("rejection-message", "\u00E9".repeat(2_000));

    DeadLetterMessage dead = DeadLetterMessage.of(DATA, attributes(3), stamps);

    String message = dead.attributes().get("rejection-message");
    assertThat(message).endsWith(Utf8Text.TRUNCATED);
    assertThat(Utf8Text.bytes(message)).isLessThanOrEqualTo(MessageLimits.MAX_VALUE_BYTES);
  }

  @Test
  void dataNearTenMegabytes_withAnEnvelope_staysUnderTheMessageLimit_andSaysItWasCut() {
    byte[] big = new byte[9_000_000];

    DeadLetterMessage dead = DeadLetterMessage.of(big, attributes(98), stamps());

    assertThat(PubSubLimits.problem(dead.data().length, dead.attributes(), "")).isNull();
    assertThat(dead.attributes()).containsEntry(DeadLetterMessage.DATA_TRUNCATED, "true");
  }

  @Test
  void plainDeadLetter_isRestoredAsItIs() {
    DeadLetterMessage.Restored back = DeadLetterMessage.restore(DATA, stamps());

    assertThat(back.data()).isEqualTo(DATA);
    assertThat(back.moved()).isEmpty();
    assertThat(back.published()).isEqualTo(stamps());
  }
}
