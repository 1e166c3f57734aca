package dev.orgprovisioner.api;

import dev.orgprovisioner.api.console.ConsoleGate;
import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Runs before routing on every REST request (all of REST is the admin API under {@code /api/v1}),
 * so even unknown paths answer 401/403 to a caller without a valid credential. The operator console
 * ({@code /console}) is let in by the same credentials or by its login session.
 */
public class AdminAuthFilter {

  public static final String API_KEY_HEADER = "X-Admin-Key";

  // Looked up per request: filters are built before the runtime configuration is available.
  private final Provider<AdminCredentials> credentials;
  private final Provider<ConsoleGate> console;

  public AdminAuthFilter(Provider<AdminCredentials> credentials, Provider<ConsoleGate> console) {
    this.credentials = credentials;
    this.console = console;
  }

  @ServerRequestFilter(preMatching = true)
  public Response authenticate(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (path.equals(ConsoleGate.ROOT) || path.startsWith(ConsoleGate.ROOT + "/")) {
      return console.get().authenticate(request);
    }
    return credentials.get().authenticate(request);
  }
}
