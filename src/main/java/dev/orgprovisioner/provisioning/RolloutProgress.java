package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.rollout.Rollout;
import dev.orgprovisioner.rollout.Wave;
import dev.orgprovisioner.rollout.WaveRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How far each wave of a roll-out got: orgs, syncs queued, done (succeeded or failed), running and
 * not yet queued. Waves before the current one and a finished current wave are read from the record
 * alone; only the current wave's unfinished syncs are looked up, one job read each.
 */
public final class RolloutProgress {

  /** Where one wave stands. */
  public enum WaveState {
    /** Every org's sync ended. */
    DONE,
    /** Syncs queued or still to queue, and a driver moving it on. */
    RUNNING,
    /** Not finished, and the roll-out is halted or aborted. */
    STOPPED,
    /** Not started. */
    PENDING
  }

  /** One wave's counts; {@code done = succeeded + failed}, {@code running = queued - done}. */
  public record WaveProgress(
      int wave,
      WaveState state,
      int orgs,
      int queued,
      int done,
      int failed,
      List<String> failedOrgs) {

    public int running() {
      return queued - done;
    }

    public int succeeded() {
      return done - failed;
    }
  }

  private RolloutProgress() {}

  /**
   * Every wave of the roll-out's spec, run or not.
   *
   * @param jobState a sync job's state by job id (empty: unknown, counted as running)
   */
  public static List<WaveProgress> of(
      Rollout rollout, Function<String, Optional<JobState>> jobState) {
    List<WaveProgress> waves = new ArrayList<>();
    for (int i = 0; i < rollout.spec().waves().size(); i++) {
      WaveRun run = i < rollout.waves().size() ? rollout.waves().get(i) : null;
      waves.add(
          run == null
              ? new WaveProgress(i, WaveState.PENDING, 0, 0, 0, 0, List.of())
              : wave(i, run, rollout.status().active(), jobState));
    }
    return waves;
  }

  /** The REST answer for one roll-out: its summary, spec and each wave's progress. */
  public static Map<String, Object> detail(
      Rollout rollout, Function<String, Optional<JobState>> jobState) {
    Map<String, Object> data = RolloutSummary.of(rollout);
    data.put("driver_job_id", rollout.driverJobId());
    data.put("generation", rollout.generation());
    data.put("bake_seconds", rollout.spec().bakeTime().toSeconds());
    data.put("max_failure_rate", rollout.spec().maxFailureRate());
    data.put("max_concurrent_orgs", rollout.spec().maxConcurrentOrgs());
    List<Map<String, Object>> waves = new ArrayList<>();
    for (WaveProgress p : of(rollout, jobState)) {
      Map<String, Object> wave = new LinkedHashMap<>();
      wave.put("wave", p.wave());
      Wave spec = rollout.spec().waves().get(p.wave());
      if (spec instanceof Wave.Canary canary) {
        wave.put("canary", canary.orgs());
      } else {
        wave.put("share", ((Wave.Share) spec).upTo());
      }
      wave.put("state", p.state().name());
      wave.put("orgs", p.orgs());
      wave.put("queued", p.queued());
      wave.put("done", p.done());
      wave.put("succeeded", p.succeeded());
      wave.put("failed", p.failed());
      wave.put("running", p.running());
      wave.put("failed_orgs", p.failedOrgs());
      waves.add(wave);
    }
    data.put("waves", waves);
    return data;
  }

  /**
   * A wave as its record shows it (the driver records each sync that ended), with the syncs it
   * still shows open looked up: the driver may not have looked yet, or no longer looks (halted).
   */
  private static WaveProgress wave(
      int index, WaveRun run, boolean active, Function<String, Optional<JobState>> jobState) {
    int done = run.succeeded().size() + run.failed().size();
    List<String> failed = new ArrayList<>(run.failed());
    for (var queued : run.jobs().entrySet()) {
      if (run.ended(queued.getKey())) {
        continue;
      }
      JobState state = jobState.apply(queued.getValue()).orElse(null);
      if (state != null && state.isTerminal()) {
        done++;
        if (state == JobState.FAILED) {
          failed.add(queued.getKey());
        }
      }
    }
    WaveState state =
        done >= run.orgs().size() ? WaveState.DONE : active ? WaveState.RUNNING : WaveState.STOPPED;
    return new WaveProgress(
        index, state, run.orgs().size(), run.jobs().size(), done, failed.size(), failed);
  }
}
