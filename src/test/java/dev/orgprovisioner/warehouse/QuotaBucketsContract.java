package dev.orgprovisioner.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link QuotaBuckets} store does: the ledger's shared one and the local one alike. */
public abstract class QuotaBucketsContract {

  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  private static final Duration WINDOW = QuotaWindow.window(Quota.TABLE_METADATA, 1.0);

  private QuotaBuckets buckets;

  /** A store that holds nothing yet. */
  protected abstract QuotaBuckets newBuckets();

  @BeforeEach
  final void fresh() {
    buckets = newBuckets();
  }

  private int take(String id, int want, Instant now) {
    return buckets.take(id, Quota.TABLE_METADATA, 1.0, want, () -> now).granted();
  }

  @Test
  void aWindowGrantsItsCalls_thenRefusesUntilTheOldestLeavesIt() {
    assertThat(take("t1", 3, T0)).isEqualTo(3);
    assertThat(take("t1", 3, T0.plusSeconds(1))).as("only two places left").isEqualTo(2);

    QuotaBuckets.Grant refused =
        buckets.take("t1", Quota.TABLE_METADATA, 1.0, 1, () -> T0.plusSeconds(2));

    assertThat(refused.granted()).isZero();
    assertThat(refused.retryAfter()).isEqualTo(WINDOW.minusSeconds(2));
    assertThat(take("t1", 5, T0.plus(WINDOW))).as("the first three left the window").isEqualTo(3);
  }

  @Test
  void eachKeyHasAWindowOfItsOwn() {
    assertThat(take("t1", 5, T0)).isEqualTo(5);

    assertThat(take("t2", 5, T0)).isEqualTo(5);
    assertThat(take("t1", 1, T0)).isZero();
  }

  @Test
  void aRefusalHalvesTheShare_whichGrowsBackWithEveryGrant() {
    buckets.slowDown("t1", Quota.TABLE_METADATA, 1.0, T0);

    assertThat(take("t1", 1, T0.plusSeconds(1))).as("the window counts as full").isZero();
    Instant later = T0.plus(WINDOW);
    assertThat(take("t1", 5, later)).as("half of five").isEqualTo(2);
    Instant after = later.plus(WINDOW);
    assertThat(take("t1", 5, after)).as("0.5 + 2 steps of 0.05 = 0.6 of five").isEqualTo(3);
  }

  @Test
  void slotsLeasedAhead_areKept_andCountForTheNextAsker() {
    Duration lead = Duration.ofSeconds(2);
    QuotaBuckets.Grant ahead =
        buckets.take(
            "t1",
            Quota.TABLE_METADATA,
            1.0,
            new QuotaBuckets.Ask(5, lead, Duration.ZERO),
            () -> T0);

    assertThat(ahead.slots()).hasSize(5).allMatch(t -> t.equals(T0.plus(lead)));
    assertThat(take("t1", 1, T0.plusSeconds(1))).as("the window ahead is full").isZero();
  }
}
