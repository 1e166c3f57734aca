package dev.orgprovisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.MessageLimits;
import dev.orgprovisioner.command.Utf8Text;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PubSubLimitsTest {

  @Test
  void boundedEventAttributes_cutLongValuesVisibly_andKeepAtMostOneHundred() {
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("correlation-id", "\uD83D\uDE80".repeat(400)); // 1,600 bytes
    for (int i = 0; i < 120; i++) {
      attrs.put("x-" + i, "v");
    }

    Map<String, String> bounded = PubSubLimits.bounded(attrs);

    assertThat(bounded).hasSize(MessageLimits.MAX_ATTRIBUTES);
    assertThat(bounded.get("correlation-id")).endsWith(Utf8Text.TRUNCATED);
    assertThat(Utf8Text.bytes(bounded.get("correlation-id")))
        .isLessThanOrEqualTo(MessageLimits.MAX_VALUE_BYTES);
    assertThat(PubSubLimits.problem(10, bounded, "")).isNull();
  }

  @Test
  void problem_namesEachLimit() {
    assertThat(PubSubLimits.problem(0, Map.of("k".repeat(257), "v"), "")).contains("size");
    assertThat(PubSubLimits.problem(0, Map.of("k", "v".repeat(1_025)), "")).contains("size");
    assertThat(PubSubLimits.problem(MessageLimits.MAX_MESSAGE_BYTES + 1, Map.of(), ""))
        .contains("bytes");
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i < 101; i++) {
      many.put("k" + i, "v");
    }
    assertThat(PubSubLimits.problem(0, many, "")).contains("101 attributes");
  }
}
