package dev.orgprovisioner.api;

import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.provisioning.DriftChecker;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** REST: the summary of the last drift check. */
@Tag(name = "Drift")
@Path("/api/v1/drift")
@Produces(MediaType.APPLICATION_JSON)
public class DriftResource {

  private final Ledger ledger;

  public DriftResource(Ledger ledger) {
    this.ledger = ledger;
  }

  @Operation(summary = "Summary of the last drift check (404 before the first)")
  @GET
  @Path("/latest")
  public Response latest() {
    return ledger
        .report(DriftChecker.LATEST_REPORT)
        .map(json -> Response.ok(json).build())
        .orElseGet(
            () ->
                Response.status(404)
                    .entity(new ApiError("NO_DRIFT_REPORT", null, "no drift check has run yet"))
                    .build());
  }
}
