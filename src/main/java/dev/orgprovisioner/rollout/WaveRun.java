package dev.orgprovisioner.rollout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One wave as run: its orgs, the sync job queued for each (absent until queued), and the orgs whose
 * sync succeeded or failed (so a driver reads only the jobs still open).
 */
public record WaveRun(
    List<String> orgs, Map<String, String> jobs, List<String> succeeded, List<String> failed) {

  public WaveRun {
    orgs = List.copyOf(orgs);
    jobs = Map.copyOf(jobs);
    succeeded = List.copyOf(succeeded);
    failed = List.copyOf(failed);
  }

  public static WaveRun of(List<String> orgs) {
    return new WaveRun(orgs, Map.of(), List.of(), List.of());
  }

  public WaveRun withJob(String org, String jobId) {
    Map<String, String> next = new LinkedHashMap<>(jobs);
    next.put(org, jobId);
    return new WaveRun(orgs, next, succeeded, failed);
  }

  /** The orgs whose sync has ended, added to those known before. */
  public WaveRun withEnded(List<String> newlySucceeded, List<String> newlyFailed) {
    List<String> s = new ArrayList<>(succeeded);
    s.addAll(newlySucceeded);
    List<String> f = new ArrayList<>(failed);
    f.addAll(newlyFailed);
    return new WaveRun(orgs, jobs, s, f);
  }

  /** Whether the org's sync has ended (either way). */
  public boolean ended(String org) {
    return succeeded.contains(org) || failed.contains(org);
  }

  /** The wave again for a resume: failed orgs get a new sync, the others keep theirs. */
  public WaveRun retryingFailed() {
    Map<String, String> next = new LinkedHashMap<>(jobs);
    failed.forEach(next::remove);
    return new WaveRun(orgs, next, succeeded, List.of());
  }
}
