package dev.orgprovisioner.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A roll-out as stored in the ledger: the spec, its state and every wave run so far.
 *
 * @param wave index of the current wave in {@code spec.waves()}
 * @param waves the waves run or running, in order (the last one is the current one)
 * @param driverJobId the job moving it on (its start's, then its last resume's)
 * @param generation bumped by every resume, so failed orgs get new sync commands
 * @param bakeUntil when BAKING: when the next wave may start
 * @param reasons why it halted or was aborted; empty otherwise
 * @param revision bumped by every write; a write names the revision it read (optimistic lock)
 */
public record Rollout(
    RolloutSpec spec,
    RolloutStatus status,
    String driverJobId,
    int wave,
    List<WaveRun> waves,
    int generation,
    Instant bakeUntil,
    List<String> reasons,
    Instant createdAt,
    Instant updatedAt,
    long revision) {

  public Rollout {
    waves = List.copyOf(waves);
    reasons = List.copyOf(reasons);
  }

  public static Rollout started(RolloutSpec spec, String driverJobId, Instant now) {
    return new Rollout(
        spec, RolloutStatus.RUNNING, driverJobId, 0, List.of(), 0, null, List.of(), now, now, 0);
  }

  public String id() {
    return spec.id();
  }

  /** The current wave's run, or null before its orgs were chosen. */
  public WaveRun currentRun() {
    return waves.size() > wave ? waves.get(wave) : null;
  }

  public Rollout withCurrentRun(WaveRun run, Instant now) {
    List<WaveRun> next = new ArrayList<>(waves);
    if (next.size() > wave) {
      next.set(wave, run);
    } else {
      next.add(run);
    }
    return new Rollout(
        spec,
        status,
        driverJobId,
        wave,
        next,
        generation,
        bakeUntil,
        reasons,
        createdAt,
        now,
        revision);
  }

  public Rollout baking(Instant until, Instant now) {
    return new Rollout(
        spec,
        RolloutStatus.BAKING,
        driverJobId,
        wave,
        waves,
        generation,
        until,
        List.of(),
        createdAt,
        now,
        revision);
  }

  public Rollout nextWave(Instant now) {
    return new Rollout(
        spec,
        RolloutStatus.RUNNING,
        driverJobId,
        wave + 1,
        waves,
        generation,
        null,
        List.of(),
        createdAt,
        now,
        revision);
  }

  public Rollout ended(RolloutStatus end, List<String> why, Instant now) {
    return new Rollout(
        spec, end, driverJobId, wave, waves, generation, null, why, createdAt, now, revision);
  }

  /** Running again after a halt: the current wave's failed orgs are synced again. */
  public Rollout resumed(String byJobId, Instant now) {
    List<WaveRun> next = new ArrayList<>(waves);
    if (next.size() > wave) {
      next.set(wave, next.get(wave).retryingFailed());
    }
    return new Rollout(
        spec,
        RolloutStatus.RUNNING,
        byJobId,
        wave,
        next,
        generation + 1,
        null,
        List.of(),
        createdAt,
        now,
        revision);
  }

  public Rollout withRevision(long newRevision) {
    return new Rollout(
        spec,
        status,
        driverJobId,
        wave,
        waves,
        generation,
        bakeUntil,
        reasons,
        createdAt,
        updatedAt,
        newRevision);
  }
}
