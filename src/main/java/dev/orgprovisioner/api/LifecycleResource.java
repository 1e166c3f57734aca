package dev.orgprovisioner.api;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.execution.Submission;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A tenant's lifecycle over REST: key rotation, plan change, offboarding and restore, each queued
 * exactly as its Pub/Sub command (same decoder, same submission, the {@code Idempotency-Key} header
 * as the key); the org comes from the path.
 */
@Tag(name = "Tenant lifecycle")
// The shared /api/v1 root: a class path with more segments would shadow the other resources'.
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LifecycleResource {

  private static final String ANSWERS =
      ": 202 with the job id, 200 when the same Idempotency-Key already finished, 409 on a key"
          + " reused with another payload, 400 with code and field";

  private final CommandDecoder decoder;
  private final Submission submission;

  public LifecycleResource(CommandDecoder decoder, Submission submission) {
    this.decoder = decoder;
    this.submission = submission;
  }

  @Operation(summary = "Rotate the org's API key (body: api_key_sha256, revoke_previous)" + ANSWERS)
  @POST
  @Path("/orgs/{org}/api-key/rotate")
  public Response rotateKey(
      @PathParam("org") String org,
      @RequestBody(description = "org.api_key.rotate.requested's data without org_slug")
          byte[] body,
      @HeaderParam(CommandRequests.KEY_HEADER) String key) {
    return queue(CommandType.ROTATE_API_KEY, org, body, key);
  }

  @Operation(summary = "Change the org's subscription plan (body: subscription_plan)" + ANSWERS)
  @POST
  @Path("/orgs/{org}/subscription-plan")
  public Response changePlan(
      @PathParam("org") String org,
      @RequestBody(description = "org.plan.change.requested's data without org_slug") byte[] body,
      @HeaderParam(CommandRequests.KEY_HEADER) String key) {
    return queue(CommandType.CHANGE_PLAN, org, body, key);
  }

  @Operation(
      summary =
          "Offboard the org: access off at once, its dataset deleted after the grace period"
              + " (body: reason, grace_days)"
              + ANSWERS)
  @POST
  @Path("/orgs/{org}/offboard")
  public Response offboard(
      @PathParam("org") String org,
      @RequestBody(description = "org.offboard.requested's data without org_slug") byte[] body,
      @HeaderParam(CommandRequests.KEY_HEADER) String key) {
    return queue(CommandType.OFFBOARD, org, body, key);
  }

  @Operation(
      summary =
          "Restore an offboarded org, before the deletion or within the restore window after it"
              + ANSWERS)
  @POST
  @Path("/orgs/{org}/restore")
  public Response restore(
      @PathParam("org") String org,
      @RequestBody(description = "empty, or {}") byte[] body,
      @HeaderParam(CommandRequests.KEY_HEADER) String key) {
    return queue(CommandType.RESTORE, org, body, key);
  }

  private Response queue(CommandType type, String org, byte[] body, String key) {
    return CommandRequests.submitOrReject(
        submission, CommandRequests.decodeForOrg(decoder, type, org, body, key));
  }
}
