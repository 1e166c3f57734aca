package dev.orgprovisioner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ops rollout status [<id>]}: a roll-out's status, reasons and a progress bar per wave (orgs
 * done of all, failed, running), from the worker's admin API; without an id, the newest roll-out
 * and a line for each earlier one.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show a roll-out with a progress bar per wave (no id: the newest, and the others).")
final class RolloutStatusCommand implements Callable<Integer> {

  /** Characters of a progress bar. */
  static final int BAR = 30;

  @Parameters(paramLabel = "<id>", arity = "0..1", description = "The roll-out; none: the newest.")
  String id;

  @Option(names = "--limit", defaultValue = "10", description = "Roll-outs listed without an id.")
  int limit;

  @Option(names = "--json", description = "Machine-readable output (the API's answer).")
  boolean json;

  @Mixin WorkerApi api;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    JsonNode others = null;
    String wanted = id;
    if (wanted == null) {
      HttpResponse<String> list = api.get("/api/v1/rollouts?limit=" + limit);
      if (list.statusCode() != 200) {
        return failed(list);
      }
      others = RolloutCommand.read(list.body());
      if (others.isEmpty()) {
        if (json) {
          Output.json(out, others);
        } else {
          out.println("no roll-outs yet");
        }
        out.flush();
        return 0;
      }
      wanted = others.get(0).path("rollout_id").asText();
    }
    HttpResponse<String> response =
        api.get(
            "/api/v1/rollouts/"
                + java.net.URLEncoder.encode(wanted, java.nio.charset.StandardCharsets.UTF_8));
    if (response.statusCode() != 200) {
      return failed(response);
    }
    JsonNode rollout = RolloutCommand.read(response.body());
    if (json) {
      Output.json(out, rollout);
      return 0;
    }
    print(out, rollout);
    if (others != null && others.size() > 1) {
      out.println("earlier roll-outs:");
      for (int i = 1; i < others.size(); i++) {
        JsonNode r = others.get(i);
        out.printf(
            "  %-30s %-9s version %-6s wave %d of %d  %s%n",
            r.path("rollout_id").asText(),
            r.path("status").asText(),
            r.path("target_catalog_version").asText(),
            r.path("wave").asInt() + 1,
            r.path("wave_count").asInt(),
            r.path("updated_at").asText());
      }
    }
    out.flush();
    return 0;
  }

  private int failed(HttpResponse<String> response) {
    spec.commandLine()
        .getErr()
        .printf("error: the API answered %d: %s%n", response.statusCode(), response.body());
    spec.commandLine().getErr().flush();
    return 1;
  }

  private static void print(PrintWriter out, JsonNode r) {
    out.printf(
        "roll-out %s to catalog version %s: %s, wave %d of %d%n",
        r.path("rollout_id").asText(),
        r.path("target_catalog_version").asText(),
        r.path("status").asText(),
        r.path("wave").asInt() + 1,
        r.path("wave_count").asInt());
    if (!r.path("bake_until").isNull() && r.has("bake_until")) {
      out.printf("baking until %s%n", r.path("bake_until").asText());
    }
    r.path("reasons").forEach(reason -> out.printf("reason: %s%n", reason.asText()));
    for (JsonNode w : r.path("waves")) {
      int orgs = w.path("orgs").asInt();
      int done = w.path("done").asInt();
      int failed = w.path("failed").asInt();
      int running = w.path("running").asInt();
      out.printf(
          "wave %d %s %4d/%-4d done, %d failed, %d running  %s%s%n",
          w.path("wave").asInt() + 1,
          bar(orgs, done - failed, failed, running),
          done,
          orgs,
          failed,
          running,
          w.path("state").asText(),
          w.has("canary") ? " (canary)" : " (share " + w.path("share").asText() + ")");
      if (w.path("failed_orgs").size() > 0) {
        out.printf("       failed: %s%n", w.path("failed_orgs"));
      }
    }
  }

  /** {@code [####xx>>......]}: succeeded, failed, running, not yet queued or ended. */
  static String bar(int orgs, int succeeded, int failed, int running) {
    if (orgs <= 0) {
      return "[" + " ".repeat(BAR) + "]";
    }
    int ok = succeeded * BAR / orgs;
    int bad = failed == 0 ? 0 : Math.max(1, failed * BAR / orgs);
    int busy = running == 0 ? 0 : Math.max(1, running * BAR / orgs);
    ok = Math.min(ok, BAR - bad - busy);
    int rest = Math.max(0, BAR - ok - bad - busy);
    return "[" + "#".repeat(ok) + "x".repeat(bad) + ">".repeat(busy) + ".".repeat(rest) + "]";
  }
}
