package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.rollout.Rollout;
import dev.orgprovisioner.rollout.WaveRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A roll-out as its events and the REST API show it. */
public final class RolloutSummary {

  private RolloutSummary() {}

  public static Map<String, Object> of(Rollout rollout) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("rollout_id", rollout.id());
    data.put("target_catalog_version", rollout.spec().targetVersion());
    data.put("status", rollout.status().name());
    data.put("wave", rollout.wave());
    data.put("wave_count", rollout.spec().waves().size());
    List<Map<String, Object>> waves = new ArrayList<>();
    for (WaveRun run : rollout.waves()) {
      Map<String, Object> wave = new LinkedHashMap<>();
      wave.put("orgs", run.orgs().size());
      wave.put("queued", run.jobs().size());
      wave.put("succeeded", run.succeeded().size());
      wave.put("failed", run.failed().size());
      wave.put("failed_orgs", run.failed());
      waves.add(wave);
    }
    data.put("waves", waves);
    data.put("reasons", rollout.reasons());
    data.put("bake_until", rollout.bakeUntil() == null ? null : rollout.bakeUntil().toString());
    data.put("created_at", rollout.createdAt().toString());
    data.put("updated_at", rollout.updatedAt().toString());
    return data;
  }
}
