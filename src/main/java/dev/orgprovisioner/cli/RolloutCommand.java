package dev.orgprovisioner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orgprovisioner.command.CommandType;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ops rollout start|status|resume|halt|abort}: roll-outs of a catalog version. The verbs
 * that change one publish its command (checked like every published command); {@code status} and
 * {@code start --dry-run} ask the running worker's admin API.
 */
@Command(
    name = "rollout",
    description = "Roll a catalog version out in waves: start, status, resume, halt, abort.",
    subcommands = {
      RolloutCommand.Start.class,
      RolloutStatusCommand.class,
      RolloutCommand.Resume.class,
      RolloutCommand.Halt.class,
      RolloutCommand.Abort.class
    })
final class RolloutCommand {

  private RolloutCommand() {}

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description =
          "Publish rollout.start.requested (--dry-run: ask the worker what it would do; nothing is"
              + " published or written).")
  static final class Start extends PublishCommand.Base {
    @Option(names = "--id", required = true, description = "The roll-out's name.")
    String id;

    @Option(
        names = "--target-version",
        required = true,
        description = "The org catalog version the workers run.")
    String targetVersion;

    @Option(
        names = "--canary",
        split = ",",
        description = "Orgs of a first, canary wave (comma-separated).")
    List<String> canary;

    @Option(
        names = "--waves",
        split = ",",
        defaultValue = "0.05,0.25,1",
        description = "Growing shares of the fleet, the last 1 (default ${DEFAULT-VALUE}).")
    List<Double> shares;

    @Option(
        names = "--bake",
        defaultValue = "0s",
        converter = DurationOption.class,
        description =
            "Wait between waves: 90s, 30m, 2h, 1d or ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration bake;

    @Option(
        names = "--max-failure-rate",
        defaultValue = "0",
        description = "A wave whose failed share exceeds this halts it (default ${DEFAULT-VALUE}).")
    double maxFailureRate;

    @Option(
        names = "--concurrency",
        defaultValue = "10",
        description =
            "Syncs of the roll-out unfinished at once, at most (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--dry-run", description = "Only show the waves, calls and time it implies.")
    boolean dryRun;

    @Mixin WorkerApi api;

    @Override
    CommandType type() {
      return CommandType.ROLLOUT_START;
    }

    @Override
    String org() {
      return null;
    }

    @Override
    Map<String, Object> data() {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("rollout_id", id);
      data.put("target_catalog_version", targetVersion);
      List<Map<String, Object>> waves = new java.util.ArrayList<>();
      if (canary != null && !canary.isEmpty()) {
        waves.add(Map.of("orgs", canary));
      }
      shares.forEach(s -> waves.add(Map.of("share", s)));
      data.put("waves", waves);
      data.put("bake_seconds", bake.toSeconds());
      data.put("max_failure_rate", maxFailureRate);
      data.put("max_concurrent_orgs", concurrency);
      return data;
    }

    @Override
    public Integer call() {
      if (!dryRun) {
        return super.call();
      }
      byte[] body;
      try {
        body = Output.JSON.writeValueAsBytes(data());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      HttpResponse<String> response = api.post("/api/v1/rollouts?dry_run=true", body);
      PrintWriter out = spec.commandLine().getOut();
      if (response.statusCode() != 200) {
        spec.commandLine()
            .getErr()
            .printf("error: the API answered %d: %s%n", response.statusCode(), response.body());
        spec.commandLine().getErr().flush();
        return response.statusCode() == 400 ? 2 : 1;
      }
      JsonNode preview = read(response.body());
      if (json) {
        Output.json(out, preview);
      } else {
        printPreview(out, preview);
      }
      out.flush();
      return 0;
    }

    private static void printPreview(PrintWriter out, JsonNode p) {
      out.printf(
          "dry run of roll-out %s to catalog version %s: %d orgs in the fleet, %d at once%n",
          p.path("rollout_id").asText(),
          p.path("target_catalog_version").asText(),
          p.path("fleet").asInt(),
          p.path("max_concurrent_orgs").asInt());
      for (JsonNode w : p.path("waves")) {
        out.printf(
            "wave %d (%s): %d orgs, %d with changes; steps %s; at least %s (%s)%n",
            w.path("wave").asInt(),
            w.has("canary") ? "canary" : "share " + w.path("share").asText(),
            w.path("org_count").asInt(),
            w.path("orgs_with_changes").asInt(),
            w.path("steps"),
            seconds(w.path("minimum_seconds").asLong()),
            w.path("bound_by").asText().isEmpty() ? "no limit binds" : w.path("bound_by").asText());
        if (w.path("non_additive_orgs").size() > 0) {
          out.printf("  non-additive drift (would halt here): %s%n", w.path("non_additive_orgs"));
        }
        if (w.path("not_in_fleet").size() > 0) {
          out.printf("  not in the fleet (skipped): %s%n", w.path("not_in_fleet"));
        }
      }
      out.printf("BigQuery calls: %s%n", p.path("bigquery_calls"));
      out.printf(
          "at least %s in all (bake time included)%n", seconds(p.path("minimum_seconds").asLong()));
      out.printf("formula: %s%n", p.path("minimum_formula").asText());
    }
  }

  /** What resume, halt and abort share: the roll-out they name. */
  abstract static class Named extends PublishCommand.Base {
    @Parameters(paramLabel = "<id>", description = "The roll-out.")
    String id;

    @Override
    String org() {
      return null;
    }
  }

  /** Halt and abort: an optional reason, kept on the roll-out. */
  abstract static class Stop extends Named {
    @Option(names = "--reason", description = "Why; kept on the roll-out.")
    String reason;

    @Override
    Map<String, Object> data() {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("rollout_id", id);
      if (reason != null) {
        data.put("reason", reason);
      }
      return data;
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Publish rollout.resume.requested: a halted roll-out's failed orgs run again.")
  static final class Resume extends Named {
    @Override
    CommandType type() {
      return CommandType.ROLLOUT_RESUME;
    }

    @Override
    Map<String, Object> data() {
      return Map.of("rollout_id", id);
    }
  }

  @Command(
      name = "halt",
      mixinStandardHelpOptions = true,
      description = "Publish rollout.halt.requested: stops after the current step, resumable.")
  static final class Halt extends Stop {
    @Override
    CommandType type() {
      return CommandType.ROLLOUT_HALT;
    }
  }

  @Command(
      name = "abort",
      mixinStandardHelpOptions = true,
      description = "Publish rollout.abort.requested: stops it for good.")
  static final class Abort extends Stop {
    @Override
    CommandType type() {
      return CommandType.ROLLOUT_ABORT;
    }
  }

  static JsonNode read(String body) {
    try {
      return Output.JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the API's answer is not JSON: " + e.getMessage(), e);
    }
  }

  /** A number of seconds for people: 0s, 45s, 12m 30s, 3h 5m. */
  static String seconds(long s) {
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m " + (s % 60) + "s";
    }
    return (s / 3600) + "h " + (s % 3600 / 60) + "m";
  }
}
