package dev.orgprovisioner.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orgprovisioner.rollout.Rollout;
import dev.orgprovisioner.rollout.RolloutSpec;
import dev.orgprovisioner.rollout.RolloutStatus;
import dev.orgprovisioner.rollout.Wave;
import dev.orgprovisioner.rollout.WaveRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A roll-out as one JSON text (its revision is kept beside it, as a field of its own). */
public final class RolloutCodec {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RolloutCodec() {}

  public static String write(Rollout r) {
    ObjectNode root = JSON.createObjectNode();
    RolloutSpec spec = r.spec();
    root.put("id", spec.id());
    root.put("target_version", spec.targetVersion());
    ArrayNode waves = root.putArray("spec_waves");
    for (Wave wave : spec.waves()) {
      ObjectNode w = waves.addObject();
      if (wave instanceof Wave.Canary canary) {
        canary.orgs().forEach(w.putArray("orgs")::add);
      } else {
        w.put("share", ((Wave.Share) wave).upTo());
      }
    }
    root.put("bake_seconds", spec.bakeTime().toSeconds());
    root.put("max_failure_rate", spec.maxFailureRate());
    root.put("max_concurrent_orgs", spec.maxConcurrentOrgs());
    root.put("status", r.status().name());
    root.put("driver_job_id", r.driverJobId());
    root.put("wave", r.wave());
    ArrayNode runs = root.putArray("runs");
    for (WaveRun run : r.waves()) {
      ObjectNode w = runs.addObject();
      run.orgs().forEach(w.putArray("orgs")::add);
      ObjectNode jobs = w.putObject("jobs");
      run.jobs().forEach(jobs::put);
      run.succeeded().forEach(w.putArray("succeeded")::add);
      run.failed().forEach(w.putArray("failed")::add);
    }
    root.put("generation", r.generation());
    root.put("bake_until", r.bakeUntil() == null ? null : r.bakeUntil().toString());
    r.reasons().forEach(root.putArray("reasons")::add);
    root.put("created_at", r.createdAt().toString());
    root.put("updated_at", r.updatedAt().toString());
    return root.toString();
  }

  public static Rollout read(String text, long revision) {
    try {
      JsonNode root = JSON.readTree(text);
      List<Wave> waves = new ArrayList<>();
      for (JsonNode w : root.path("spec_waves")) {
        waves.add(
            w.has("orgs")
                ? new Wave.Canary(strings(w.path("orgs")))
                : new Wave.Share(w.path("share").asDouble()));
      }
      RolloutSpec spec =
          new RolloutSpec(
              root.path("id").asText(),
              root.path("target_version").asText(),
              waves,
              Duration.ofSeconds(root.path("bake_seconds").asLong()),
              root.path("max_failure_rate").asDouble(),
              root.path("max_concurrent_orgs").asInt());
      List<WaveRun> runs = new ArrayList<>();
      for (JsonNode w : root.path("runs")) {
        Map<String, String> jobs = new LinkedHashMap<>();
        w.path("jobs").fields().forEachRemaining(e -> jobs.put(e.getKey(), e.getValue().asText()));
        runs.add(
            new WaveRun(
                strings(w.path("orgs")),
                jobs,
                strings(w.path("succeeded")),
                strings(w.path("failed"))));
      }
      JsonNode bake = root.path("bake_until");
      return new Rollout(
          spec,
          RolloutStatus.valueOf(root.path("status").asText()),
          root.path("driver_job_id").asText(null),
          root.path("wave").asInt(),
          runs,
          root.path("generation").asInt(),
          bake.isNull() || bake.isMissingNode() ? null : Instant.parse(bake.asText()),
          strings(root.path("reasons")),
          Instant.parse(root.path("created_at").asText()),
          Instant.parse(root.path("updated_at").asText()),
          revision);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored roll-out is not JSON", e);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
