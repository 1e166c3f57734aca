package dev.orgprovisioner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.plan.CatalogVersions;
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
 * {@code ops status [<org>]}: an org's status and the catalog version its dataset was last synced
 * to; without an org, the fleet as the last drift check counted it (orgs per status and per catalog
 * version). Asked of the running worker's admin API, like {@code ops plan}.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show an org's status and catalog version, or (no org) orgs per status and catalog"
            + " version from the last drift check.")
final class StatusCommand implements Callable<Integer> {

  @Parameters(paramLabel = "<org>", arity = "0..1", description = "The org; none: the fleet.")
  String org;

  @Mixin WorkerApi api;

  @Option(names = "--json", description = "Machine-readable output (the API's answer).")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String path;
    if (org == null) {
      path = "/api/v1/drift/latest";
    } else {
      try {
        path = "/api/v1/orgs/" + OrgSlug.parse(org).value() + "/status";
      } catch (RuntimeException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    HttpResponse<String> response = api.get(path);
    PrintWriter out = spec.commandLine().getOut();
    if (response.statusCode() != 200) {
      spec.commandLine()
          .getErr()
          .printf("error: the API answered %d: %s%n", response.statusCode(), response.body());
      spec.commandLine().getErr().flush();
      return 1;
    }
    JsonNode body = Output.JSON.readTree(response.body());
    if (json) {
      Output.json(out, body);
    } else if (org == null) {
      fleet(out, body);
    } else {
      org(out, body);
    }
    out.flush();
    return 0;
  }

  private static void org(PrintWriter out, JsonNode s) {
    String version = s.path("catalog_version").asText(null);
    String worker = s.path("worker_catalog_version").asText(null);
    out.printf("org:             %s%n", s.path("target").asText());
    out.printf("dataset:         %s%n", s.path("dataset").asText());
    out.printf("status:          %s%n", s.path("status").asText());
    out.printf(
        "catalog version: %s (worker runs %s)%s%n",
        Output.orDash(version),
        Output.orDash(worker),
        version != null && worker != null && CatalogVersions.compare(version, worker) > 0
            ? "; synced by a newer version, this worker leaves it as it is"
            : "");
  }

  private static void fleet(PrintWriter out, JsonNode r) {
    out.printf(
        "last drift check: %s (check %s, worker catalog version %s)%n",
        r.path("finished_at").asText("-"),
        r.path("check_id").asText("-"),
        r.path("catalog_version").asText("-"));
    out.printf("orgs checked:     %d%n", r.path("orgs_checked").asLong());
    out.println("orgs per status:");
    r.path("counts")
        .fields()
        .forEachRemaining(e -> out.printf("  %-12s %d%n", e.getKey(), e.getValue().asLong()));
    out.println("orgs per catalog version:");
    if (!r.has("catalog_versions")) {
      out.println("  (not counted by this check: it ran before versions were counted)");
    }
    r.path("catalog_versions")
        .fields()
        .forEachRemaining(e -> out.printf("  %-12s %d%n", e.getKey(), e.getValue().asLong()));
  }
}
