package dev.orgprovisioner.api;

import dev.orgprovisioner.execution.Ledger;
import dev.orgprovisioner.provisioning.DriftChecker;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** REST: the summary of the last drift check. */
@Path("/api/v1/drift")
@Produces(MediaType.APPLICATION_JSON)
public class DriftResource {

  private final Ledger ledger;

  public DriftResource(Ledger ledger) {
    this.ledger = ledger;
  }

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
