package dev.orgprovisioner.rollout;

import java.time.Duration;
import java.util.List;

/**
 * What a roll-out was asked to do: bring the fleet to {@code targetVersion} in {@code waves}.
 *
 * @param bakeTime wait after a wave succeeded before the next one starts
 * @param maxFailureRate a wave whose failed share of orgs exceeds this halts the roll-out
 * @param maxConcurrentOrgs syncs of the roll-out queued and unfinished at once, at most
 */
public record RolloutSpec(
    String id,
    String targetVersion,
    List<Wave> waves,
    Duration bakeTime,
    double maxFailureRate,
    int maxConcurrentOrgs) {

  public RolloutSpec {
    waves = List.copyOf(waves);
    if (waves.isEmpty()) {
      throw new IllegalArgumentException("a roll-out needs at least one wave");
    }
  }
}
