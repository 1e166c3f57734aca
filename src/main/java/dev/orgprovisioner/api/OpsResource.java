package dev.orgprovisioner.api;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.JobView;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.messaging.DeadLetterQueue;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Locale;

/**
 * REST equivalents of the ops CLI: list and retry jobs, browse and replay the dead-letter queue.
 * The same operations ({@link Ledger}, {@link DeadLetterQueue}) back both.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class OpsResource {

  /** Response header of a job listing: the cursor of the next page. */
  public static final String NEXT_CURSOR = "X-Next-Cursor";

  private final Ledger ledger;
  private final DeadLetterQueue dlq;
  private final Clock clock;

  public OpsResource(Ledger ledger, DeadLetterQueue dlq, Clock clock) {
    this.ledger = ledger;
    this.dlq = dlq;
    this.clock = clock;
  }

  /** Jobs, newest first; {@code state} is QUEUED, RUNNING, SUCCEEDED or FAILED. */
  @GET
  @Path("/jobs")
  public Response jobs(
      @QueryParam("state") String state,
      @QueryParam("org") String org,
      @QueryParam("limit") @DefaultValue("50") int limit,
      @QueryParam("cursor") String cursor) {
    JobState jobState = null;
    if (state != null && !state.isBlank()) {
      try {
        jobState = JobState.valueOf(state.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return bad("INVALID_STATE", "state", "state must be QUEUED, RUNNING, SUCCEEDED or FAILED");
      }
    }
    if (limit < 1 || limit > 1000) {
      return bad("INVALID_LIMIT", "limit", "limit must be between 1 and 1000");
    }
    String slug = org == null || org.isBlank() ? null : OrgSlug.parse(org.strip()).value();
    Ledger.JobPage page;
    try {
      page = ledger.jobs(new Ledger.JobQuery(jobState, slug, limit, blankToNull(cursor)));
    } catch (IllegalArgumentException e) {
      return bad("INVALID_CURSOR", "cursor", e.getMessage());
    }
    Response.ResponseBuilder ok = Response.ok(page.jobs().stream().map(JobView::of).toList());
    // The body stays a list; the next page's cursor travels in a header (absent on the last page).
    return page.nextCursor() == null
        ? ok.build()
        : ok.header(NEXT_CURSOR, page.nextCursor()).build();
  }

  /** Puts a FAILED job back in the queue (202); 404 unknown, 409 not FAILED or key reused. */
  @POST
  @Path("/jobs/{id}/retry")
  public Response retry(@PathParam("id") String id) {
    Ledger.RetryResult result = ledger.retryFailed(id, clock.instant());
    return switch (result.outcome()) {
      case RETRIED -> Response.accepted(JobView.of(result.job())).build();
      case NOT_FOUND ->
          Response.status(404).entity(new ApiError("JOB_NOT_FOUND", "id", "no job " + id)).build();
      case NOT_FAILED ->
          Response.status(409)
              .entity(
                  new ApiError(
                      "JOB_NOT_FAILED",
                      "id",
                      "job "
                          + id
                          + " is "
                          + result.job().state()
                          + "; only FAILED jobs can be retried"))
              .build();
      case KEY_TAKEN ->
          Response.status(409)
              .entity(
                  new ApiError(
                      "IDEMPOTENCY_KEY_REUSED",
                      "id",
                      "the idempotency key of job " + id + " now belongs to another job"))
              .build();
    };
  }

  /** Dead-lettered commands, oldest first, without consuming them. */
  @GET
  @Path("/dlq")
  public Response deadLetters(
      @QueryParam("type") String type,
      @QueryParam("org") String org,
      @QueryParam("reason") String reason,
      @QueryParam("limit") @DefaultValue("100") int limit) {
    if (limit < 1) {
      return bad("INVALID_LIMIT", "limit", "limit must be at least 1");
    }
    return Response.ok(dlq.list(filter(type, org, reason), limit)).build();
  }

  /**
   * Replays dead-lettered commands to the commands topic (see {@link DeadLetterQueue#replay}): 200
   * with the report, 502 with it when a republication failed (that message stays in the DLQ).
   */
  @POST
  @Path("/dlq/replay")
  public Response replay(
      @QueryParam("type") String type,
      @QueryParam("org") String org,
      @QueryParam("reason") String reason,
      @QueryParam("count") Integer count,
      @QueryParam("include_rejected") @DefaultValue("false") boolean includeRejected,
      @QueryParam("dry_run") @DefaultValue("false") boolean dryRun) {
    if (count != null && count < 1) {
      return bad("INVALID_COUNT", "count", "count must be at least 1");
    }
    DeadLetterQueue.ReplayReport report =
        dlq.replay(
            filter(type, org, reason),
            count == null ? Integer.MAX_VALUE : count,
            includeRejected,
            dryRun,
            n -> {});
    return Response.status(report.ok() ? 200 : 502).entity(report).build();
  }

  private static DeadLetterQueue.Filter filter(String type, String org, String reason) {
    return new DeadLetterQueue.Filter(blankToNull(type), blankToNull(org), blankToNull(reason));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static Response bad(String code, String field, String message) {
    return Response.status(400).entity(new ApiError(code, field, message)).build();
  }
}
