package dev.orgprovisioner.api.console;

import dev.orgprovisioner.api.ApiError;
import dev.orgprovisioner.api.CommandRequests;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.Submission;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.provisioning.RolloutProgress;
import dev.orgprovisioner.provisioning.RolloutSummary;
import dev.orgprovisioner.rollout.port.RolloutRecords;
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
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's roll-outs: the list, one roll-out's waves, and halt or resume queued as their
 * commands exactly as the REST API does ({@link CommandRequests}).
 */
@Path(ConsoleGate.ROOT + "/rollouts")
@Produces(MediaType.TEXT_HTML)
public class ConsoleRolloutsResource {

  private final RolloutRecords records;
  private final Ledger ledger;
  private final CommandDecoder decoder;
  private final Submission submission;
  private final ConsolePages pages;

  public ConsoleRolloutsResource(
      RolloutRecords records,
      Ledger ledger,
      CommandDecoder decoder,
      Submission submission,
      ConsolePages pages) {
    this.records = records;
    this.ledger = ledger;
    this.decoder = decoder;
    this.submission = submission;
    this.pages = pages;
  }

  @Operation(hidden = true)
  @GET
  public Response list(@Context HttpHeaders headers) {
    return pages.render(
        "rollouts.html",
        headers,
        Map.of("rollouts", records.list(50).stream().map(RolloutSummary::of).toList()));
  }

  @Operation(hidden = true)
  @GET
  @Path("/{id}")
  public Response rollout(
      @PathParam("id") String id,
      @QueryParam("queued") String queued,
      @Context HttpHeaders headers) {
    return show(200, id, "", headers, queued == null ? "" : queued);
  }

  @Operation(hidden = true)
  @POST
  @Path("/{id}/{action:halt|resume}")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response act(
      @PathParam("id") String id,
      @PathParam("action") String action,
      @FormParam("reason") String reason,
      @FormParam("key") String key,
      @FormParam("csrf") String token,
      @Context HttpHeaders headers) {
    pages.requireFormToken(headers, token);
    CommandType type =
        action.equals("halt") ? CommandType.ROLLOUT_HALT : CommandType.ROLLOUT_RESUME;
    String body =
        reason == null || reason.isBlank() || type == CommandType.ROLLOUT_RESUME
            ? "{}"
            : "{\"reason\":" + quote(reason.strip()) + "}";
    Response answer =
        CommandRequests.submitOrReject(
            submission,
            CommandRequests.decodeForRollout(
                decoder, type, id, body.getBytes(StandardCharsets.UTF_8), key));
    if (answer.getStatus() >= 300) {
      ApiError error = (ApiError) answer.getEntity();
      return show(answer.getStatus(), id, error.code() + ": " + error.message(), headers, "");
    }
    return ConsolePages.seeOther(ConsoleGate.ROOT + "/rollouts/" + id + "?queued=" + action);
  }

  private Response show(int status, String id, String error, HttpHeaders headers, String queued) {
    return records
        .get(id)
        .map(
            r ->
                pages.render(
                    status,
                    "rollout.html",
                    headers,
                    Map.of(
                        "rollout",
                        RolloutProgress.detail(r, jobId -> ledger.job(jobId).map(Job::state)),
                        "active",
                        r.status().active(),
                        "error",
                        error,
                        "queued",
                        queued,
                        // One key per rendered form: a double submit queues the command once.
                        "key",
                        UUID.randomUUID().toString())))
        .orElseGet(
            () -> pages.render(404, "not-found.html", headers, Map.of("what", "roll-out " + id)));
  }

  private static String quote(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
