package dev.orgprovisioner.api;

import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Runs before routing on every REST request (all of REST is the admin API under {@code /api/v1}),
 * so even unknown paths answer 401/403 to a caller without a valid credential.
 */
public class AdminAuthFilter {

  public static final String API_KEY_HEADER = "X-Admin-Key";

  // Looked up per request: filters are built before the runtime configuration is available.
  private final Provider<AdminCredentials> credentials;

  public AdminAuthFilter(Provider<AdminCredentials> credentials) {
    this.credentials = credentials;
  }

  @ServerRequestFilter(preMatching = true)
  public Response authenticate(ContainerRequestContext request) {
    return credentials.get().authenticate(request);
  }
}
