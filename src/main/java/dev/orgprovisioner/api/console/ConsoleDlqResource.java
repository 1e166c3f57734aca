package dev.orgprovisioner.api.console;

import dev.orgprovisioner.messaging.DeadLetterQueue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's dead-letter queue: a filtered list, then a replay shown first as its dry run and
 * done only on confirmation (the same {@link DeadLetterQueue} as the REST API and the CLI).
 */
@Path(ConsoleGate.ROOT + "/dlq")
@Produces(MediaType.TEXT_HTML)
public class ConsoleDlqResource {

  private static final int LIST_LIMIT = 200;

  private final DeadLetterQueue dlq;
  private final ConsolePages pages;

  public ConsoleDlqResource(DeadLetterQueue dlq, ConsolePages pages) {
    this.dlq = dlq;
    this.pages = pages;
  }

  @Operation(hidden = true)
  @GET
  public Response list(
      @QueryParam("type") String type,
      @QueryParam("org") String org,
      @QueryParam("reason") String reason,
      @Context HttpHeaders headers) {
    Map<String, Object> data = filterData(type, org, reason, false);
    data.put("letters", dlq.list(filter(type, org, reason), LIST_LIMIT));
    data.put("limit", LIST_LIMIT);
    return pages.render("dlq.html", headers, data);
  }

  /** The dry run of a replay, with the form that confirms it. */
  @Operation(hidden = true)
  @GET
  @Path("/replay")
  public Response preview(
      @QueryParam("type") String type,
      @QueryParam("org") String org,
      @QueryParam("reason") String reason,
      @QueryParam("include_rejected") boolean includeRejected,
      @Context HttpHeaders headers) {
    Map<String, Object> data = filterData(type, org, reason, includeRejected);
    data.put(
        "report",
        dlq.replay(filter(type, org, reason), Integer.MAX_VALUE, includeRejected, true, n -> {}));
    return pages.render("dlq-replay.html", headers, data);
  }

  /** Replays at most as many as the preview showed (newer arrivals wait for another look). */
  @Operation(hidden = true)
  @POST
  @Path("/replay")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response replay(
      @FormParam("type") String type,
      @FormParam("org") String org,
      @FormParam("reason") String reason,
      @FormParam("include_rejected") boolean includeRejected,
      @FormParam("count") int count,
      @FormParam("csrf") String token,
      @Context HttpHeaders headers) {
    pages.requireFormToken(headers, token);
    Map<String, Object> data = filterData(type, org, reason, includeRejected);
    DeadLetterQueue.ReplayReport report =
        dlq.replay(filter(type, org, reason), Math.max(count, 0), includeRejected, false, n -> {});
    data.put("report", report);
    return pages.render(report.ok() ? 200 : 502, "dlq-replay.html", headers, data);
  }

  private static Map<String, Object> filterData(
      String type, String org, String reason, boolean includeRejected) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("type", text(type));
    data.put("org", text(org));
    data.put("reason", text(reason));
    data.put("includeRejected", includeRejected);
    return data;
  }

  private static DeadLetterQueue.Filter filter(String type, String org, String reason) {
    return new DeadLetterQueue.Filter(orNull(type), orNull(org), orNull(reason));
  }

  private static String text(String s) {
    return s == null ? "" : s.strip();
  }

  private static String orNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
