package dev.orgprovisioner.command;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.rollout.RolloutSpec;
import dev.orgprovisioner.rollout.Wave;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The data of the roll-out commands: their decoding, and the rules their schemas cannot say. */
final class RolloutJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RolloutJson() {}

  /** The roll-out command {@code type} with schema-valid data {@code json}. */
  static Command command(CommandType type, JsonNode json) {
    String id = json.path("rollout_id").asText();
    return switch (type) {
      case ROLLOUT_START -> new Command.RolloutStart(spec(json));
      case ROLLOUT_RESUME -> new Command.RolloutResume(id);
      case ROLLOUT_WAVE_ENDED ->
          new Command.RolloutWaveEnded(
              id, JSON.convertValue(json, new TypeReference<Map<String, Object>>() {}));
      default ->
          new Command.RolloutStop(
              id,
              type == CommandType.ROLLOUT_ABORT,
              json.path("reason").asText("requested by an operator"));
    };
  }

  static RolloutSpec spec(JsonNode json) {
    List<Wave> waves = new ArrayList<>();
    for (JsonNode wave : json.path("waves")) {
      if (wave.has("orgs")) {
        List<String> orgs = new ArrayList<>();
        wave.path("orgs").forEach(o -> orgs.add(o.asText()));
        waves.add(new Wave.Canary(orgs));
      } else {
        waves.add(new Wave.Share(wave.path("share").asDouble()));
      }
    }
    return new RolloutSpec(
        json.path("rollout_id").asText(),
        json.path("target_catalog_version").asText(),
        waves,
        Duration.ofSeconds(json.path("bake_seconds").asLong(0)),
        json.path("max_failure_rate").asDouble(0),
        json.path("max_concurrent_orgs").asInt(10));
  }

  /** Shares that grow and end at the whole fleet; null when they do. */
  static Rejection check(JsonNode json) {
    JsonNode waves = json.path("waves");
    double previous = 0;
    for (int i = 0; i < waves.size(); i++) {
      JsonNode share = waves.get(i).get("share");
      if (share == null) {
        continue;
      }
      if (share.asDouble() < previous) {
        return new Rejection(
            RejectionCode.INVALID_VALUE,
            "data.waves[" + i + "].share",
            "data.waves[" + i + "].share must not be smaller than an earlier wave's share");
      }
      previous = share.asDouble();
    }
    int last = waves.size() - 1;
    JsonNode lastShare = waves.get(last).get("share");
    if (lastShare == null || lastShare.asDouble() != 1.0) {
      return new Rejection(
          RejectionCode.INVALID_VALUE,
          "data.waves[" + last + "].share",
          "the last wave must be {\"share\": 1}: a roll-out reaches the whole fleet");
    }
    return null;
  }
}
