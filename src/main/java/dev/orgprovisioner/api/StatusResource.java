package dev.orgprovisioner.api;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.provisioning.PlanReport;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.StatusReport;
import dev.orgprovisioner.provisioning.SyncResult;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** REST: status and plans of the central dataset and of each org, and synchronous syncs. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

  private final ProvisioningService provisioning;

  public StatusResource(ProvisioningService provisioning) {
    this.provisioning = provisioning;
  }

  @GET
  @Path("/central/status")
  public StatusReport centralStatus() {
    return provisioning.centralStatus();
  }

  @POST
  @Path("/central/plan")
  public PlanReport centralPlan() {
    return PlanReport.of(provisioning.planCentral());
  }

  @POST
  @Path("/central/bootstrap")
  public SyncResult bootstrap(@QueryParam("dry_run") @DefaultValue("false") boolean dryRun) {
    return provisioning.bootstrap(dryRun);
  }

  @GET
  @Path("/orgs/{org}/status")
  public StatusReport orgStatus(@PathParam("org") String org) {
    return provisioning.orgStatus(OrgSlug.parse(org));
  }

  @POST
  @Path("/orgs/{org}/plan")
  public PlanReport orgPlan(@PathParam("org") String org) {
    return PlanReport.of(provisioning.planOrg(OrgSlug.parse(org)));
  }

  @POST
  @Path("/orgs/{org}/sync")
  public SyncResult orgSync(
      @PathParam("org") String org, @QueryParam("dry_run") @DefaultValue("false") boolean dryRun) {
    return provisioning.syncOrg(OrgSlug.parse(org), dryRun);
  }
}
