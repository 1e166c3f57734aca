package dev.orgprovisioner.api;

import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.Submission;
import dev.orgprovisioner.provisioning.OnboardingPlanner;
import dev.orgprovisioner.provisioning.ProvisioningService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * REST onboarding: the body is the data of an {@code org.onboard.requested} command, checked by the
 * same decoder as a Pub/Sub command; a real one goes through the same {@link Submission}, a dry run
 * only through the {@link OnboardingPlanner}, which cannot write.
 */
@Tag(name = "Datasets and jobs")
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class OnboardingResource {

  private static final String KEY_HEADER = CommandRequests.KEY_HEADER;

  private static final String BODY =
      "The data of an org.onboard.requested command, as"
          + " schemas/messages/org.onboard.requested.schema.json describes it";

  private final CommandDecoder decoder;
  private final Submission submission;
  private final OnboardingPlanner planner;

  public OnboardingResource(
      CommandDecoder decoder,
      Submission submission,
      ProvisioningService provisioning,
      Clock clock) {
    this.decoder = decoder;
    this.submission = submission;
    this.planner = new OnboardingPlanner(provisioning, clock);
  }

  /**
   * Queues an onboarding exactly as the Pub/Sub intake does: 202 with the job id (the same key
   * again: the same job; finished: 200 with its event id), 409 for a key used with another payload,
   * 400 naming the field of invalid input.
   */
  @Operation(
      summary =
          "Onboard an org: the body is org.onboard.requested's data; 202 with the job id, 409 on"
              + " an Idempotency-Key reused with another payload, 400 with code and field")
  @POST
  @Path("/orgs")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response onboard(
      @RequestBody(description = BODY) byte[] body,
      @HeaderParam(KEY_HEADER) String idempotencyKey) {
    return CommandRequests.submitOrReject(submission, decode(body, idempotencyKey));
  }

  /**
   * With {@code dry_run=true}: the onboarding's checks against the org's state and what it would
   * create, at once; nothing is written and nothing is queued. Without it, as {@code POST
   * /api/v1/orgs}.
   */
  @Operation(
      summary =
          "Validate an onboarding (dry_run=true): 200 with what it would create, 409 with the"
              + " conflict (ORG_EXISTS, DATASET_LOCATION_CONFLICT, DATASET_SETTINGS_CONFLICT), 400"
              + " with code and field; nothing is written")
  @POST
  @Path("/orgs/onboard")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response onboardOrDryRun(
      @RequestBody(description = BODY) byte[] body,
      @QueryParam("dry_run") @DefaultValue("false") boolean dryRun,
      @HeaderParam(KEY_HEADER) String idempotencyKey) {
    if (!dryRun) {
      return onboard(body, idempotencyKey);
    }
    DecodeResult decoded = decode(body, null);
    if (decoded instanceof DecodeResult.Rejected r) {
      return CommandRequests.invalid(r.rejection());
    }
    CommandEnvelope envelope = ((DecodeResult.Accepted) decoded).envelope();
    try {
      return Response.ok(planner.preview((Command.Onboard) envelope.command(), envelope.id()))
          .build();
    } catch (JobFailedException e) {
      return Response.status(409)
          .entity(
              new ApiError(
                  e.error().code(),
                  OnboardingPlanner.conflictField(e.error().code()),
                  e.error().message()))
          .build();
    }
  }

  private DecodeResult decode(byte[] body, String idempotencyKey) {
    return CommandRequests.decode(decoder, CommandType.ONBOARD, body, idempotencyKey);
  }
}
