package dev.orgprovisioner.api.console;

import dev.orgprovisioner.api.AdminCredentials;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's login: the admin key is posted once and exchanged for a session cookie (the key is
 * never put in a URL, a cookie or a log); logout ends the session.
 */
@Path(ConsoleGate.ROOT)
@Produces(MediaType.TEXT_HTML)
public class ConsoleLoginResource {

  private final AdminCredentials credentials;
  private final ConsoleSession session;
  private final ConsolePages pages;
  private final Clock clock;

  public ConsoleLoginResource(
      AdminCredentials credentials, ConsoleSession session, ConsolePages pages, Clock clock) {
    this.credentials = credentials;
    this.session = session;
    this.pages = pages;
    this.clock = clock;
  }

  @Operation(hidden = true)
  @GET
  @Path("/login")
  public Response form(@Context HttpHeaders headers) {
    return pages.render("login.html", headers, Map.of("error", ""));
  }

  @Operation(hidden = true)
  @POST
  @Path("/login")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response login(
      @FormParam("key") String key, @Context HttpHeaders headers, @Context UriInfo uri) {
    if (key == null || key.isEmpty() || credentials.check(key, null) != null) {
      return pages.render(
          403, "login.html", headers, Map.of("error", "The admin key was not accepted."));
    }
    return Response.seeOther(uri.getBaseUriBuilder().path(ConsoleGate.ROOT).build())
        .cookie(session.cookie(session.open(clock.instant()), https(headers, uri)))
        .build();
  }

  @Operation(hidden = true)
  @POST
  @Path("/logout")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response logout(
      @FormParam("csrf") String token, @Context HttpHeaders headers, @Context UriInfo uri) {
    pages.requireFormToken(headers, token);
    return Response.seeOther(uri.getBaseUriBuilder().path(ConsoleGate.LOGIN).build())
        .cookie(session.expired(https(headers, uri)))
        .build();
  }

  /** Over https, directly or behind a proxy that terminated it (Cloud Run, a load balancer). */
  private static boolean https(HttpHeaders headers, UriInfo uri) {
    return "https".equalsIgnoreCase(uri.getRequestUri().getScheme())
        || "https".equalsIgnoreCase(headers.getHeaderString("X-Forwarded-Proto"));
  }
}
