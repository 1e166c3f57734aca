package dev.orgprovisioner.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Utf8TextTest {

  @Test
  void textThatFits_isUnchanged() {
    assertThat(Utf8Text.truncate("héllo", 6)).isEqualTo("héllo");
  }

  @Test
  void longText_isCutVisiblyWithinTheByteBudget() {
    String cut = Utf8Text.truncate("x".repeat(5_000), 1_024);

    assertThat(cut).endsWith(Utf8Text.TRUNCATED);
    assertThat(Utf8Text.bytes(cut)).isLessThanOrEqualTo(1_024);
    assertThat(Utf8Text.bytes(cut)).isGreaterThan(1_000);
  }

  @Test
  void multiByteCodePoints_areNeverSplit() {
    String rockets = "\uD83D\uDE80".repeat(300); // 4 bytes each
    for (int budget = 20; budget < 40; budget++) {
      String cut = Utf8Text.truncate(rockets, budget);
      String kept = cut.substring(0, cut.length() - Utf8Text.TRUNCATED.length());
      assertThat(kept.codePoints()).allMatch(cp -> cp == 0x1F680);
      assertThat(Utf8Text.bytes(cut)).isLessThanOrEqualTo(budget);
    }
    assertThat(Utf8Text.prefix("\u20AC\u20AC", 5)).isEqualTo("\u20AC");
  }

  @Test
  void rejection_cutsItsFieldAndMessage() {
    Rejection r = new Rejection(RejectionCode.UNKNOWN_FIELD, "k".repeat(2_000), "m".repeat(5_000));

    assertThat(Utf8Text.bytes(r.field())).isLessThanOrEqualTo(Rejection.MAX_FIELD_BYTES);
    assertThat(r.field()).endsWith(Utf8Text.TRUNCATED);
    assertThat(Utf8Text.bytes(r.message())).isLessThanOrEqualTo(Rejection.MAX_MESSAGE_BYTES);
  }
}
