package dev.orgprovisioner.api;

import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.Submission;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.RolloutDryRun;
import dev.orgprovisioner.provisioning.RolloutProgress;
import dev.orgprovisioner.provisioning.RolloutSummary;
import dev.orgprovisioner.rollout.port.RolloutRecords;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Roll-outs over REST: read them from the ledger, preview one (dry run), and start, resume, halt or
 * abort one by queuing its command exactly as over Pub/Sub (same decoder, same submission, the
 * {@code Idempotency-Key} header as the key).
 */
@Tag(name = "Roll-outs")
// The shared /api/v1 root: a class path with more segments would shadow the other resources'.
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class RolloutResource {

  private static final String ANSWERS =
      ": 202 with the job id, 200 when the same Idempotency-Key already finished, 409 on a key"
          + " reused with another payload, 400 with code and field";

  private final CommandDecoder decoder;
  private final Submission submission;
  private final RolloutRecords records;
  private final Ledger ledger;
  private final RolloutDryRun dryRun;

  public RolloutResource(
      CommandDecoder decoder,
      Submission submission,
      RolloutRecords records,
      Ledger ledger,
      ProvisioningService provisioning) {
    this.decoder = decoder;
    this.submission = submission;
    this.records = records;
    this.ledger = ledger;
    this.dryRun = new RolloutDryRun(provisioning, records);
  }

  @Operation(summary = "Roll-outs, newest first (limit 1 to 100, default 20)")
  @GET
  @Path("/rollouts")
  public Response list(@QueryParam("limit") @DefaultValue("20") int limit) {
    if (limit < 1 || limit > 100) {
      return Response.status(400)
          .entity(new ApiError("INVALID_LIMIT", "limit", "limit must be between 1 and 100"))
          .build();
    }
    return Response.ok(records.list(limit).stream().map(RolloutSummary::of).toList()).build();
  }

  @Operation(
      summary =
          "A roll-out: status, reasons, spec and every wave's progress (orgs, queued, done,"
              + " failed, running); 404 for an unknown id")
  @GET
  @Path("/rollouts/{id}")
  public Response get(@PathParam("id") String id) {
    return records
        .get(id)
        .map(
            r ->
                Response.ok(RolloutProgress.detail(r, jobId -> ledger.job(jobId).map(Job::state)))
                    .build())
        .orElseGet(
            () ->
                Response.status(404)
                    .entity(new ApiError("ROLLOUT_NOT_FOUND", "id", "no roll-out '" + id + "'"))
                    .build());
  }

  @Operation(
      summary =
          "Start a roll-out (body: rollout.start.requested's data)"
              + ANSWERS
              + ". With dry_run=true: 200 with the waves, their orgs, plan steps, BigQuery calls"
              + " and the least time the quotas allow; 409 with the conflict a start would meet"
              + " (ROLLOUT_VERSION_MISMATCH, ROLLOUT_ID_TAKEN, ROLLOUT_IN_PROGRESS); nothing is"
              + " written")
  @POST
  @Path("/rollouts")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response start(
      @RequestBody(description = "rollout.start.requested's data") byte[] body,
      @QueryParam("dry_run") @DefaultValue("false") boolean preview,
      @HeaderParam(CommandRequests.KEY_HEADER) String key) {
    DecodeResult decoded =
        CommandRequests.decode(decoder, CommandType.ROLLOUT_START, body, preview ? null : key);
    if (!preview) {
      return CommandRequests.submitOrReject(submission, decoded);
    }
    if (decoded instanceof DecodeResult.Rejected r) {
      return CommandRequests.invalid(r.rejection());
    }
    Command.RolloutStart start =
        (Command.RolloutStart) ((DecodeResult.Accepted) decoded).envelope().command();
    try {
      return Response.ok(dryRun.preview(start.spec())).build();
    } catch (JobFailedException e) {
      return Response.status(409)
          .entity(
              new ApiError(
                  e.error().code(),
                  RolloutDryRun.conflictField(e.error().code()),
                  e.error().message()))
          .build();
    }
  }

  @Operation(
      summary = "Resume a halted roll-out: its wave's failed orgs are synced again" + ANSWERS)
  @POST
  @Path("/rollouts/{id}/resume")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response resume(
      @PathParam("id") String id,
      @RequestBody(description = "empty, or {}") byte[] body,
      @HeaderParam(CommandRequests.KEY_HEADER) String key) {
    return queue(CommandType.ROLLOUT_RESUME, id, body, key);
  }

  @Operation(summary = "Halt a roll-out, resumably (body: optional reason)" + ANSWERS)
  @POST
  @Path("/rollouts/{id}/halt")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response halt(
      @PathParam("id") String id,
      @RequestBody(description = "empty, or {\"reason\": \"…\"}") byte[] body,
      @HeaderParam(CommandRequests.KEY_HEADER) String key) {
    return queue(CommandType.ROLLOUT_HALT, id, body, key);
  }

  @Operation(summary = "Abort a roll-out for good (body: optional reason)" + ANSWERS)
  @POST
  @Path("/rollouts/{id}/abort")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response abort(
      @PathParam("id") String id,
      @RequestBody(description = "empty, or {\"reason\": \"…\"}") byte[] body,
      @HeaderParam(CommandRequests.KEY_HEADER) String key) {
    return queue(CommandType.ROLLOUT_ABORT, id, body, key);
  }

  private Response queue(CommandType type, String id, byte[] body, String key) {
    return CommandRequests.submitOrReject(
        submission, CommandRequests.decodeForRollout(decoder, type, id, body, key));
  }
}
