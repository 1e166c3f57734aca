package dev.orgprovisioner.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.ledger.memory.InMemoryRollouts;
import dev.orgprovisioner.rollout.Rollout;
import dev.orgprovisioner.rollout.RolloutSpec;
import dev.orgprovisioner.rollout.RolloutStatus;
import dev.orgprovisioner.rollout.Wave;
import dev.orgprovisioner.rollout.WaveRun;
import dev.orgprovisioner.testing.LedgerFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Roll-out gauges, read from the roll-out records. */
class RolloutGaugesTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Ledger ledger = LedgerFixtures.inMemory(Duration.ofSeconds(60));
  private final InMemoryRollouts rollouts = new InMemoryRollouts();
  private final RolloutGauges gauges = new RolloutGauges(rollouts, ledger, registry);

  private double value(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  private Rollout baking(String id, Instant created) {
    RolloutSpec spec =
        new RolloutSpec(
            id,
            "2",
            List.of(new Wave.Canary(List.of("a", "b")), new Wave.Share(1)),
            Duration.ofHours(1),
            0.5,
            5);
    return Rollout.started(spec, "driver", created)
        .withCurrentRun(
            WaveRun.of(List.of("a", "b"))
                .withJob("a", "j-a")
                .withJob("b", "j-b")
                .withEnded(List.of("a"), List.of("b")),
            created)
        .baking(created.plusSeconds(3600), created);
  }

  @Test
  void eachRollout_showsItsStatus_wave_andEachWavesOrgsByState() {
    rollouts.create(baking("add-credits", Instant.now()));

    gauges.refresh();

    assertThat(value("provisioner.rollout.status", "rollout", "add-credits", "status", "BAKING"))
        .isEqualTo(1);
    assertThat(value("provisioner.rollout.status", "rollout", "add-credits", "status", "RUNNING"))
        .isZero();
    assertThat(value("provisioner.rollout.wave", "rollout", "add-credits")).isZero();
    String[] wave0 = {"rollout", "add-credits", "wave", "0"};
    assertThat(value("provisioner.rollout.wave.orgs", with(wave0, "total"))).isEqualTo(2);
    assertThat(value("provisioner.rollout.wave.orgs", with(wave0, "done"))).isEqualTo(2);
    assertThat(value("provisioner.rollout.wave.orgs", with(wave0, "failed"))).isEqualTo(1);
    assertThat(
            value(
                "provisioner.rollout.wave.orgs",
                "rollout",
                "add-credits",
                "wave",
                "1",
                "state",
                "total"))
        .isZero();
  }

  @Test
  void onlyTheNewestRollouts_areShown_olderOnesDropOut() {
    Instant start = Instant.parse("2026-12-01T00:00:00Z");
    for (int i = 0; i <= RolloutGauges.SHOWN; i++) {
      Rollout r = baking("r-" + i, start.plusSeconds(i));
      rollouts.create(r.ended(RolloutStatus.COMPLETED, List.of(), start.plusSeconds(i)));
    }

    gauges.refresh();

    assertThat(registry.find("provisioner.rollout.wave").tag("rollout", "r-0").gauge()).isNull();
    assertThat(value("provisioner.rollout.status", "rollout", "r-5", "status", "COMPLETED"))
        .isEqualTo(1);
  }

  private static String[] with(String[] tags, String state) {
    String[] all = java.util.Arrays.copyOf(tags, tags.length + 2);
    all[tags.length] = "state";
    all[tags.length + 1] = state;
    return all;
  }
}
