package dev.orgprovisioner.api;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.warehouse.WarehouseException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns domain exceptions into clear HTTP answers. */
public class ErrorMappers {

  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  @ServerExceptionMapper
  public Response invalidSlug(OrgSlug.InvalidSlugException e) {
    return json(400, new ApiError("INVALID_SLUG", "org", e.getMessage()));
  }

  @ServerExceptionMapper
  public Response warehouse(WarehouseException e) {
    LOG.warn("Warehouse call failed", e);
    int status = e.isTransient() ? 503 : 502;
    return json(status, new ApiError("WAREHOUSE_" + e.kind(), null, e.getMessage()));
  }

  private static Response json(int status, ApiError body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
  }
}
