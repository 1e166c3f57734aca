package dev.orgprovisioner.api.console;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.JobView;
import dev.orgprovisioner.execution.port.Ledger;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's jobs: a filtered list, a job's steps and error, and the retry of a FAILED job
 * behind a confirmation page (the same {@link Ledger#retryFailed} as the REST API and the CLI).
 */
@Path(ConsoleGate.ROOT + "/jobs")
@Produces(MediaType.TEXT_HTML)
public class ConsoleJobsResource {

  private static final int PAGE = 50;

  private final Ledger ledger;
  private final ConsolePages pages;
  private final Clock clock;

  public ConsoleJobsResource(Ledger ledger, ConsolePages pages, Clock clock) {
    this.ledger = ledger;
    this.pages = pages;
    this.clock = clock;
  }

  @Operation(hidden = true)
  @GET
  public Response list(
      @QueryParam("state") String state,
      @QueryParam("org") String org,
      @QueryParam("cursor") String cursor,
      @Context HttpHeaders headers) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("states", Arrays.stream(JobState.values()).map(Enum::name).toList());
    data.put("state", blank(state) ? "" : state.strip().toUpperCase(Locale.ROOT));
    data.put("org", blank(org) ? "" : org.strip());
    JobState jobState;
    String slug;
    try {
      jobState = blank(state) ? null : JobState.valueOf((String) data.get("state"));
      slug = blank(org) ? null : OrgSlug.parse(org.strip()).value();
    } catch (IllegalArgumentException e) {
      data.put("error", "Filter not understood: " + e.getMessage());
      data.put("jobs", java.util.List.of());
      data.put("next", "");
      return pages.render(400, "jobs.html", headers, data);
    }
    Ledger.JobPage page =
        ledger.jobs(new Ledger.JobQuery(jobState, slug, PAGE, blank(cursor) ? null : cursor));
    data.put("error", "");
    data.put("jobs", page.jobs().stream().map(JobView::of).toList());
    data.put("next", page.nextCursor() == null ? "" : page.nextCursor());
    return pages.render("jobs.html", headers, data);
  }

  @Operation(hidden = true)
  @GET
  @Path("/{id}")
  public Response job(
      @PathParam("id") String id,
      @QueryParam("retried") boolean retried,
      @Context HttpHeaders headers) {
    Optional<JobView> job = ledger.job(id).map(JobView::of);
    if (job.isEmpty()) {
      return pages.render(404, "not-found.html", headers, Map.of("what", "job " + id));
    }
    return pages.render("job.html", headers, Map.of("job", job.get(), "retried", retried));
  }

  @Operation(hidden = true)
  @GET
  @Path("/{id}/retry")
  public Response confirmRetry(@PathParam("id") String id, @Context HttpHeaders headers) {
    Optional<JobView> job = ledger.job(id).map(JobView::of);
    if (job.isEmpty()) {
      return pages.render(404, "not-found.html", headers, Map.of("what", "job " + id));
    }
    return pages.render("retry.html", headers, Map.of("job", job.get(), "error", ""));
  }

  @Operation(hidden = true)
  @POST
  @Path("/{id}/retry")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response retry(
      @PathParam("id") String id, @FormParam("csrf") String token, @Context HttpHeaders headers) {
    pages.requireFormToken(headers, token);
    Ledger.RetryResult result = ledger.retryFailed(id, clock.instant());
    return switch (result.outcome()) {
      case RETRIED -> ConsolePages.seeOther(ConsoleGate.ROOT + "/jobs/" + id + "?retried=true");
      case NOT_FOUND -> pages.render(404, "not-found.html", headers, Map.of("what", "job " + id));
      case NOT_FAILED, KEY_TAKEN ->
          pages.render(
              409,
              "retry.html",
              headers,
              Map.of(
                  "job",
                  JobView.of(result.job()),
                  "error",
                  result.outcome() == Ledger.RetryOutcome.NOT_FAILED
                      ? "Only FAILED jobs can be retried; this one is " + result.job().state() + "."
                      : "The job's idempotency key now belongs to another job."));
    };
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
