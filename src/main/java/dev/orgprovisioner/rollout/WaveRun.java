package dev.orgprovisioner.rollout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One wave as run: its orgs, the sync job queued for each (absent until queued) and the orgs whose
 * sync failed.
 */
public record WaveRun(List<String> orgs, Map<String, String> jobs, List<String> failed) {

  public WaveRun {
    orgs = List.copyOf(orgs);
    jobs = Map.copyOf(jobs);
    failed = List.copyOf(failed);
  }

  public static WaveRun of(List<String> orgs) {
    return new WaveRun(orgs, Map.of(), List.of());
  }

  public WaveRun withJob(String org, String jobId) {
    Map<String, String> next = new LinkedHashMap<>(jobs);
    next.put(org, jobId);
    return new WaveRun(orgs, next, failed);
  }

  public WaveRun withFailed(List<String> failedOrgs) {
    return new WaveRun(orgs, jobs, failedOrgs);
  }

  /** The wave again for a resume: failed orgs get a new sync, the others keep theirs. */
  public WaveRun retryingFailed() {
    Map<String, String> next = new LinkedHashMap<>(jobs);
    failed.forEach(next::remove);
    return new WaveRun(orgs, next, List.of());
  }
}
