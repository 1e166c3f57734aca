package dev.orgprovisioner.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuotaWindowTest {

  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  private static final Quota INSERTS = Quota.TABLES_INSERT;
  private static final Duration WINDOW = QuotaWindow.window(INSERTS, 1.0);

  private static QuotaBuckets.Ask ask(int want, Duration lead, Duration ahead) {
    return new QuotaBuckets.Ask(want, lead, ahead);
  }

  @Test
  void aLeaseWithALead_namesSlotsNoEarlierThanTheLead() {
    Duration lead = Duration.ofMillis(300);

    QuotaWindow.Taken taken =
        QuotaWindow.fresh().take(INSERTS, 1.0, ask(3, lead, Duration.ZERO), T0, 1.0);

    assertThat(taken.grant().slots()).containsOnly(T0.plus(lead)).hasSize(3);
    assertThat(taken.grant().at()).isEqualTo(T0);
  }

  @Test
  void aFullWindow_leasesTheSlotsAfterItsCallsLeave_whenAskedThatFarAhead() {
    QuotaWindow full = QuotaWindow.fresh().take(INSERTS, 1.0, 10, T0).window();

    QuotaWindow.Taken ahead =
        full.take(INSERTS, 1.0, ask(3, Duration.ZERO, WINDOW), T0.plusMillis(100), 1.0);

    assertThat(ahead.grant().slots())
        .containsExactly(T0.plus(WINDOW), T0.plus(WINDOW), T0.plus(WINDOW));
    assertThat(ahead.window().granted()).hasSize(13);
  }

  @Test
  void aFullWindow_grantsNothingNearerThanAsked_andSaysHowLongUntilASlotWouldFit() {
    QuotaWindow full = QuotaWindow.fresh().take(INSERTS, 1.0, 10, T0).window();
    Duration ahead = Duration.ofMillis(200);

    QuotaWindow.Taken taken = full.take(INSERTS, 1.0, ask(1, Duration.ZERO, ahead), T0, 1.0);

    assertThat(taken.grant().slots()).isEmpty();
    assertThat(taken.grant().retryAfter()).isEqualTo(WINDOW.minus(ahead));
  }

  @Test
  void slotsLeasedAhead_countForEveryLaterAsker() {
    QuotaWindow leased =
        QuotaWindow.fresh()
            .take(INSERTS, 1.0, ask(10, Duration.ofSeconds(1), Duration.ZERO), T0, 1.0)
            .window();

    QuotaWindow.Taken now =
        leased.take(INSERTS, 1.0, ask(1, Duration.ZERO, Duration.ZERO), T0, 1.0);

    assertThat(now.grant().slots())
        .as("a call now shares a window with the ten a second ahead")
        .isEmpty();
  }

  @Test
  void leasesOfAnyShape_neverPutMoreCallsInAnyWindowThanAllowed() {
    Random random = new Random(19);
    QuotaWindow window = QuotaWindow.fresh();
    List<Instant> all = new ArrayList<>();
    Instant now = T0;
    for (int i = 0; i < 300; i++) {
      now = now.plusMillis(random.nextInt(400));
      QuotaBuckets.Ask ask =
          ask(
              1 + random.nextInt(12),
              Duration.ofMillis(random.nextInt(1500)),
              Duration.ofMillis(random.nextInt(4000)));
      QuotaWindow.Taken taken = window.take(INSERTS, 1.0, ask, now, 1.0);
      window = taken.window();
      for (Instant slot : taken.grant().slots()) {
        assertThat(slot).isAfterOrEqualTo(now.plus(ask.lead()));
        assertThat(slot).isBeforeOrEqualTo(now.plus(ask.lead()).plus(ask.ahead()));
      }
      all.addAll(taken.grant().slots());
    }
    Collections.sort(all);
    assertThat(all).hasSizeGreaterThan(100);
    for (int i = 0; i + INSERTS.calls() < all.size(); i++) {
      assertThat(Duration.between(all.get(i), all.get(i + INSERTS.calls())))
          .as("any eleven calls span at least a window")
          .isGreaterThanOrEqualTo(WINDOW);
    }
  }

  @Test
  void aRefusal_fillsTheWindowNow_soTheNextSlotIsAWindowLater_atHalfTheRate() {
    QuotaWindow slowed = QuotaWindow.fresh().slowedDown(INSERTS, 1.0, T0);

    QuotaWindow.Taken taken =
        slowed.take(INSERTS, 1.0, ask(10, Duration.ZERO, WINDOW), T0.plusMillis(1), 1.0);

    assertThat(slowed.factor()).isEqualTo(0.5);
    assertThat(taken.grant().slots()).hasSize(5).allMatch(t -> t.equals(T0.plus(WINDOW)));
  }
}
