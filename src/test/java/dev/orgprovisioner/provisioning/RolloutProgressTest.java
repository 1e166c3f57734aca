package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.provisioning.RolloutProgress.WaveProgress;
import dev.orgprovisioner.provisioning.RolloutProgress.WaveState;
import dev.orgprovisioner.rollout.Rollout;
import dev.orgprovisioner.rollout.RolloutSpec;
import dev.orgprovisioner.rollout.RolloutStatus;
import dev.orgprovisioner.rollout.Wave;
import dev.orgprovisioner.rollout.WaveRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Per-wave progress of a roll-out: from the record, and the current wave's open jobs. */
class RolloutProgressTest {

  private static final Instant NOW = Instant.parse("2026-12-03T03:00:00Z");

  private final List<String> lookedUp = new ArrayList<>();
  private final Map<String, JobState> states =
      Map.of("j-c", JobState.SUCCEEDED, "j-d", JobState.FAILED, "j-e", JobState.RUNNING);

  private Optional<JobState> state(String jobId) {
    lookedUp.add(jobId);
    return Optional.ofNullable(states.get(jobId));
  }

  /** Wave 0 (a, b) ended with b failed; wave 1 (c, d, e, f) runs: c, d, e queued. */
  private Rollout inSecondWave() {
    RolloutSpec spec =
        new RolloutSpec(
            "r-1",
            "2",
            List.of(new Wave.Canary(List.of("a", "b")), new Wave.Share(0.5), new Wave.Share(1)),
            Duration.ZERO,
            0.5,
            3);
    Rollout r =
        Rollout.started(spec, "driver", NOW)
            .withCurrentRun(
                WaveRun.of(List.of("a", "b"))
                    .withJob("a", "j-a")
                    .withJob("b", "j-b")
                    .withEnded(List.of("a"), List.of("b")),
                NOW)
            .nextWave(NOW);
    return r.withCurrentRun(
        WaveRun.of(List.of("c", "d", "e", "f"))
            .withJob("c", "j-c")
            .withJob("d", "j-d")
            .withJob("e", "j-e"),
        NOW);
  }

  @Test
  void earlierWaves_comeFromTheRecord_andOnlyTheCurrentWavesJobsAreRead() {
    List<WaveProgress> waves = RolloutProgress.of(inSecondWave(), this::state);

    assertThat(waves.get(0))
        .isEqualTo(new WaveProgress(0, WaveState.DONE, 2, 2, 2, 1, List.of("b")));
    assertThat(waves.get(1))
        .isEqualTo(new WaveProgress(1, WaveState.RUNNING, 4, 3, 2, 1, List.of("d")));
    assertThat(waves.get(1).running()).isEqualTo(1);
    assertThat(waves.get(1).succeeded()).isEqualTo(1);
    assertThat(waves.get(2).state()).isEqualTo(WaveState.PENDING);
    assertThat(lookedUp).containsExactlyInAnyOrder("j-c", "j-d", "j-e");
  }

  @Test
  void aHaltedRollouts_unfinishedWave_isStopped_andTheDetailCarriesEveryWave() {
    Rollout halted = inSecondWave().ended(RolloutStatus.HALTED, List.of("operator"), NOW);

    Map<String, Object> detail = RolloutProgress.detail(halted, this::state);

    assertThat(detail).containsEntry("status", "HALTED").containsEntry("max_concurrent_orgs", 3);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> waves = (List<Map<String, Object>>) detail.get("waves");
    assertThat(waves).hasSize(3);
    assertThat(waves.get(1))
        .containsEntry("state", "STOPPED")
        .containsEntry("done", 2)
        .containsEntry("running", 1)
        .containsEntry("share", 0.5);
    assertThat(waves.get(0)).containsEntry("canary", List.of("a", "b"));
  }
}
