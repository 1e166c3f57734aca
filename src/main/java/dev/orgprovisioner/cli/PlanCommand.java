package dev.orgprovisioner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orgprovisioner.command.OrgSlug;
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
 * {@code ops plan <org>}: the plan and drift report of an org's dataset, asked of the running
 * worker's admin API. Going through the worker (not opening the warehouse here) means the plan uses
 * the catalog and warehouse the worker runs with, and works while the worker holds the lock on an
 * embedded DuckDB file.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = "Show the plan (dry run) of an org's dataset, from the worker's admin API.")
final class PlanCommand implements Callable<Integer> {

  @Parameters(paramLabel = "<org>")
  String org;

  @Mixin WorkerApi api;

  @Option(names = "--json", description = "Machine-readable output (the API's answer).")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String slug;
    try {
      slug = OrgSlug.parse(org).value();
    } catch (RuntimeException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    HttpResponse<String> response = api.post("/api/v1/orgs/" + slug + "/plan");
    PrintWriter out = spec.commandLine().getOut();
    if (response.statusCode() != 200) {
      spec.commandLine()
          .getErr()
          .printf("error: the API answered %d: %s%n", response.statusCode(), response.body());
      spec.commandLine().getErr().flush();
      return 1;
    }
    JsonNode plan = Output.JSON.readTree(response.body());
    if (json) {
      Output.json(out, plan);
      return 0;
    }
    out.printf("dataset: %s%n", plan.path("dataset").asText());
    out.printf("status:  %s%n", plan.path("status").asText());
    out.printf("steps:   %d%n", plan.path("steps").size());
    plan.path("steps").forEach(s -> out.printf("  - %s%n", s.asText()));
    for (String kind : new String[] {"additive", "non_additive", "informational"}) {
      if (plan.path(kind).size() > 0) {
        out.printf("%s differences: %d%n", kind.replace('_', '-'), plan.path(kind).size());
        plan.path(kind).forEach(d -> out.printf("  - %s%n", d));
      }
    }
    out.flush();
    return 0;
  }
}
