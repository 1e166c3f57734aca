package dev.orgprovisioner.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.rollout.Rollout;
import dev.orgprovisioner.rollout.RolloutSpec;
import dev.orgprovisioner.rollout.RolloutStatus;
import dev.orgprovisioner.rollout.Wave;
import dev.orgprovisioner.rollout.WaveRun;
import dev.orgprovisioner.rollout.port.RolloutRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RolloutRecords} adapter does: Firestore and in memory alike. */
public abstract class RolloutRecordsContract {

  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  private RolloutRecords records;

  /** Records that hold nothing yet. */
  protected abstract RolloutRecords newRecords();

  @BeforeEach
  final void fresh() {
    records = newRecords();
  }

  private static Rollout rollout(String id, Instant created) {
    RolloutSpec spec =
        new RolloutSpec(
            id,
            "3",
            List.of(new Wave.Canary(List.of("acme_corp")), new Wave.Share(0.25), new Wave.Share(1)),
            Duration.ofMinutes(30),
            0.05,
            20);
    return Rollout.started(spec, "job-1", created);
  }

  @Test
  void aCreatedRollout_readsBackEqual_atRevisionOne() {
    Rollout created = rollout("ro-a", T0);

    assertThat(records.create(created)).isTrue();

    assertThat(records.get("ro-a")).contains(created.withRevision(1));
    assertThat(records.get("nothing")).isEmpty();
  }

  @Test
  void creatingAnIdTwice_isRefused_andKeepsTheFirst() {
    records.create(rollout("ro-a", T0));

    assertThat(records.create(rollout("ro-a", T0.plusSeconds(5)))).isFalse();

    assertThat(records.get("ro-a").orElseThrow().createdAt()).isEqualTo(T0);
  }

  @Test
  void anUpdateFromTheStoredRevision_winsOnce_andAStaleOneIsRefused() {
    records.create(rollout("ro-a", T0));
    Rollout read = records.get("ro-a").orElseThrow();
    WaveRun run =
        WaveRun.of(List.of("acme_corp"))
            .withJob("acme_corp", "job-9")
            .withEnded(List.of(), List.of("acme_corp"));
    Rollout halted =
        read.withCurrentRun(run, T0.plusSeconds(60))
            .ended(RolloutStatus.HALTED, List.of("wave 0: 1 of 1 orgs failed"), T0.plusSeconds(60));

    assertThat(records.update(halted)).isTrue();
    assertThat(records.update(read.ended(RolloutStatus.ABORTED, List.of("x"), T0)))
        .as("written from a stale revision")
        .isFalse();

    Rollout stored = records.get("ro-a").orElseThrow();
    assertThat(stored).isEqualTo(halted.withRevision(2));
    assertThat(stored.waves().get(0).jobs()).containsEntry("acme_corp", "job-9");
    assertThat(stored.waves().get(0).failed()).containsExactly("acme_corp");
    assertThat(records.update(rollout("ro-missing", T0))).as("does not exist").isFalse();
  }

  @Test
  void list_givesTheNewestFirst_upToTheLimit() {
    records.create(rollout("ro-old", T0));
    records.create(rollout("ro-new", T0.plusSeconds(20)));
    records.create(rollout("ro-mid", T0.plusSeconds(10)));

    assertThat(records.list(10))
        .extracting(Rollout::id)
        .containsExactly("ro-new", "ro-mid", "ro-old");
    assertThat(records.list(2)).extracting(Rollout::id).containsExactly("ro-new", "ro-mid");
  }
}
