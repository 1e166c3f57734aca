package dev.orgprovisioner.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;

/**
 * The admin API's OpenAPI description (served at {@code /q/openapi}): every operation needs the
 * admin key in {@code X-Admin-Key}, or Google IAP's signed header in production.
 */
@OpenAPIDefinition(
    info =
        @Info(
            title = "org-provisioner admin API",
            version = "1",
            description =
                "Status, plans, syncs, jobs and drift of the per-organisation datasets. Health"
                    + " (/q/health) and metrics (/q/metrics) are open; everything under /api/v1"
                    + " needs an admin credential: 401 without, 403 with a wrong one."),
    security = {@SecurityRequirement(name = "admin-key"), @SecurityRequirement(name = "iap")})
@SecuritySchemes({
  @SecurityScheme(
      securitySchemeName = "admin-key",
      type = SecuritySchemeType.APIKEY,
      in = SecuritySchemeIn.HEADER,
      apiKeyName = AdminAuthFilter.API_KEY_HEADER,
      description = "The admin key; the worker stores only its SHA-256 (admin.api-key-sha256)."),
  @SecurityScheme(
      securitySchemeName = "iap",
      type = SecuritySchemeType.APIKEY,
      in = SecuritySchemeIn.HEADER,
      apiKeyName = IapVerifier.HEADER,
      description =
          "Set by Google Identity-Aware Proxy in front of the service (admin.iap.enabled).")
})
public class AdminApi extends Application {}
