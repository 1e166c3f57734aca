package dev.orgprovisioner.api;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.command.RejectionCode;
import dev.orgprovisioner.command.ViewOption;
import dev.orgprovisioner.execution.IntakeDecision;
import dev.orgprovisioner.execution.Submission;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.provisioning.InternalCommands;
import dev.orgprovisioner.provisioning.PlanReport;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.StatusReport;
import dev.orgprovisioner.provisioning.SyncResult;
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
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** REST: status and plans of the central dataset and of each org, and synchronous syncs. */
@Tag(name = "Datasets and jobs")
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

  private static final java.util.regex.Pattern KEY =
      java.util.regex.Pattern.compile("^[\\x21-\\x7E]{1,256}$");

  private final ProvisioningService provisioning;
  private final Ledger ledger;
  private final Submission submission;
  private final Clock clock;

  public StatusResource(
      ProvisioningService provisioning, Ledger ledger, Submission submission, Clock clock) {
    this.provisioning = provisioning;
    this.ledger = ledger;
    this.submission = submission;
    this.clock = clock;
  }

  @Operation(
      summary =
          "Status of the central dataset: SYNCED, OUT_OF_SYNC (with drift) or NOT_BOOTSTRAPPED")
  @GET
  @Path("/central/status")
  public StatusReport centralStatus() {
    return provisioning.centralStatus();
  }

  @Operation(summary = "Plan for the central dataset (applies nothing)")
  @POST
  @Path("/central/plan")
  public PlanReport centralPlan() {
    return PlanReport.of(provisioning.planCentral());
  }

  @Operation(summary = "Create or complete the central dataset (dry_run=true only plans)")
  @POST
  @Path("/central/bootstrap")
  public SyncResult bootstrap(@QueryParam("dry_run") @DefaultValue("false") boolean dryRun) {
    return provisioning.bootstrap(dryRun);
  }

  @Operation(
      summary =
          "Status of an org's dataset, with the catalog version it was last synced to and this"
              + " worker's")
  @GET
  @Path("/orgs/{org}/status")
  public StatusReport orgStatus(@PathParam("org") String org) {
    return provisioning.orgStatus(OrgSlug.parse(org));
  }

  @Operation(summary = "Plan and drift report of an org's dataset (dry run)")
  @POST
  @Path("/orgs/{org}/plan")
  public PlanReport orgPlan(@PathParam("org") String org) {
    return PlanReport.of(provisioning.planOrg(OrgSlug.parse(org)));
  }

  /**
   * A dry run answers with the plan at once (status NOT_FOUND for an org never onboarded).
   * Otherwise the sync goes through the same {@link Submission} as a Pub/Sub command (same
   * idempotency claim, queue and dispatch): 202 with the job id; the same Idempotency-Key again
   * answers with the same job.
   */
  @Operation(
      summary =
          "Queue a sync of an org (202 with the job id), or answer a dry run with the plan;"
              + " views=recreate replaces every view, views=false none")
  @POST
  @Path("/orgs/{org}/sync")
  public Response orgSync(
      @PathParam("org") String org,
      @QueryParam("dry_run") @DefaultValue("false") boolean dryRun,
      @QueryParam("views") @DefaultValue("true") String views,
      @HeaderParam("Idempotency-Key") String idempotencyKey) {
    OrgSlug slug = OrgSlug.parse(org);
    ViewOption viewOption =
        switch (views) {
          case "true" -> ViewOption.UPDATE;
          case "false" -> ViewOption.SKIP;
          case "recreate" -> ViewOption.RECREATE;
          default -> null;
        };
    if (viewOption == null) {
      return Response.status(400)
          .entity(new ApiError("INVALID_VALUE", "views", "views must be true, false or recreate"))
          .build();
    }
    if (dryRun) {
      return Response.ok(provisioning.previewSync(slug, viewOption == ViewOption.RECREATE)).build();
    }
    String key = idempotencyKey == null ? UUID.randomUUID().toString() : idempotencyKey;
    if (!KEY.matcher(key).matches()) {
      return Response.status(400)
          .entity(
              new ApiError(
                  "INVALID_ATTRIBUTE",
                  "Idempotency-Key",
                  "Idempotency-Key must be 1-256 printable ASCII characters without spaces"))
          .build();
    }
    Instant now = clock.instant();
    IntakeDecision decision =
        submission.submit(
            InternalCommands.sync(
                slug,
                UUID.randomUUID().toString(),
                "//org-provisioner/api",
                key,
                now,
                InternalCommands.CUSTOMER_SYNC,
                viewOption));
    if (decision instanceof IntakeDecision.Enqueued e) {
      return Response.accepted(Map.of("job_id", e.job().id(), "state", e.job().state())).build();
    }
    if (decision instanceof IntakeDecision.AlreadyInFlight f) {
      return Response.accepted(Map.of("job_id", f.jobId())).build();
    }
    if (decision instanceof IntakeDecision.Republish r) {
      return Response.ok(Map.of("job_id", r.jobId(), "event_id", r.event().id())).build();
    }
    IntakeDecision.Reject r = (IntakeDecision.Reject) decision;
    if (r.rejection().code() == RejectionCode.IDEMPOTENCY_KEY_REUSED) {
      return Response.status(422)
          .entity(
              new ApiError(
                  "IDEMPOTENCY_KEY_REUSED",
                  "Idempotency-Key",
                  "the key was already used for another request"))
          .build();
    }
    return Response.status(422)
        .entity(new ApiError(r.rejection().code().name(), "sync", r.rejection().message()))
        .build();
  }

  /** A job of the execution queue: state, attempts, completed steps, last error, trace. */
  @Operation(summary = "A job's state, attempts, completed steps, last error and trace id")
  @GET
  @Path("/jobs/{id}")
  public Response job(@PathParam("id") String id) {
    return ledger
        .job(id)
        .map(
            j -> {
              Map<String, Object> body = new java.util.LinkedHashMap<>();
              body.put("job_id", j.id());
              body.put("type", j.type().ceType());
              body.put("org_slug", j.orgSlug());
              body.put("state", j.state());
              body.put("priority", j.priority());
              body.put("attempts", j.attempts());
              body.put("completed_steps", j.completedSteps());
              body.put("last_error", j.lastError());
              body.put("created_at", j.createdAt());
              body.put("updated_at", j.updatedAt());
              body.put("trace_id", j.trace() == null ? null : j.trace().traceId());
              return Response.ok(body).build();
            })
        .orElseGet(
            () ->
                Response.status(404)
                    .entity(new ApiError("JOB_NOT_FOUND", "id", "no job with this id"))
                    .build());
  }
}
