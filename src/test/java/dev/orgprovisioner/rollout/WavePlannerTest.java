package dev.orgprovisioner.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WavePlannerTest {

  private static final List<String> FLEET =
      IntStream.range(0, 100).mapToObj(i -> "org_" + i).toList();

  private static RolloutSpec spec(String id, Wave... waves) {
    return new RolloutSpec(id, "3", List.of(waves), Duration.ZERO, 0, 10);
  }

  @Test
  void wavesCoverTheFleetOnce_inTheirShares_canaryFirst() {
    RolloutSpec spec =
        spec(
            "ro",
            new Wave.Canary(List.of("org_7", "nobody")),
            new Wave.Share(0.1),
            new Wave.Share(1));
    Set<String> earlier = new HashSet<>();

    List<String> canary = WavePlanner.orgsOf(spec, 0, FLEET, earlier);
    earlier.addAll(canary);
    List<String> tenth = WavePlanner.orgsOf(spec, 1, FLEET, earlier);
    earlier.addAll(tenth);
    List<String> rest = WavePlanner.orgsOf(spec, 2, FLEET, earlier);

    assertThat(canary).as("only orgs of the fleet").containsExactly("org_7");
    assertThat(tenth).hasSize(9).doesNotContain("org_7");
    assertThat(rest).hasSize(90).doesNotContainAnyElementsOf(tenth).doesNotContain("org_7");
  }

  @Test
  void theSameRollout_choosesTheSameOrgs_andAnotherRolloutOthers() {
    RolloutSpec a = spec("ro-a", new Wave.Share(0.2), new Wave.Share(1));
    RolloutSpec b = spec("ro-b", new Wave.Share(0.2), new Wave.Share(1));

    List<String> first = WavePlanner.orgsOf(a, 0, FLEET, Set.of());

    assertThat(WavePlanner.orgsOf(a, 0, reversed(FLEET), Set.of())).isEqualTo(first);
    assertThat(WavePlanner.orgsOf(b, 0, FLEET, Set.of())).isNotEqualTo(first).hasSize(20);
  }

  private static List<String> reversed(List<String> list) {
    List<String> copy = new java.util.ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }

  @Test
  void aShareOutsideZeroToOne_isRefused() {
    assertThatThrownBy(() -> new Wave.Share(0)).hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> new Wave.Share(1.5)).hasMessageContaining("(0, 1]");
  }
}
