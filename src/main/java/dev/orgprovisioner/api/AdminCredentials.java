package dev.orgprovisioner.api;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The admin credentials and their check, behind {@link AdminAuthFilter}. Guards every REST endpoint
 * (all of them are the admin API under {@code /api/v1}; health, metrics and OpenAPI are served
 * outside JAX-RS and stay open). A caller sends {@code X-Admin-Key}, whose SHA-256 is compared in
 * constant time with {@code admin.api-key-sha256}, or, when enabled, comes through Google IAP with
 * its signed header. Nothing configured refuses every call (fail closed). No credential: 401; a
 * wrong one: 403.
 */
@Singleton
public class AdminCredentials {

  public static final String API_KEY_HEADER = AdminAuthFilter.API_KEY_HEADER;
  private static final Logger LOG = Logger.getLogger(AdminCredentials.class);
  private static final String IAP_ACCOUNT_PREFIX = "accounts.google.com:";

  private final byte[] keyHash;
  private final IapVerifier iap;
  private final Optional<List<String>> allowedEmails;

  @Inject
  public AdminCredentials(AdminConfig config) {
    this(config, Clock.systemUTC());
  }

  /** With the clock that IAP token times are checked against. */
  public AdminCredentials(AdminConfig config, Clock clock) {
    this.keyHash = config.apiKeySha256().map(AdminCredentials::parseHash).orElse(null);
    AdminConfig.Iap iapConfig = config.iap();
    if (iapConfig.enabled() && iapConfig.audience().isPresent()) {
      this.iap =
          new IapVerifier(
              iapConfig.jwksUrl(), iapConfig.audience().get(), iapConfig.clockSkew(), clock);
    } else {
      this.iap = null;
    }
    this.allowedEmails =
        iapConfig
            .allowedEmails()
            .map(l -> l.stream().map(e -> e.toLowerCase(Locale.ROOT)).toList());
  }

  private static byte[] parseHash(String hex) {
    String trimmed = hex.trim();
    if (!trimmed.matches("^[0-9a-fA-F]{64}$")) {
      throw new IllegalStateException(
          "admin.api-key-sha256 must be the SHA-256 of the key as 64 hex digits"
              + " (e.g. printf %s \"$KEY\" | sha256sum)");
    }
    return HexFormat.of().parseHex(trimmed);
  }

  void onStart(@Observes StartupEvent event, AdminConfig config) {
    if (keyHash == null && iap == null) {
      LOG.warn(
          "Admin API: no credential configured (admin.api-key-sha256, admin.iap.*): every"
              + " /api/v1 call is refused");
    } else {
      LOG.infof(
          "Admin API: %s%s",
          keyHash != null ? "X-Admin-Key accepted" : "",
          iap != null ? (keyHash != null ? ", " : "") + "IAP signed header accepted" : "");
    }
    if (config.iap().enabled() && iap == null) {
      LOG.warn("Admin API: admin.iap.enabled is set without admin.iap.audience; IAP is refused");
    }
  }

  /** Null when the request may go on; otherwise the 401 or 403 to answer with. */
  public Response authenticate(ContainerRequestContext request) {
    return check(
        request.getHeaderString(API_KEY_HEADER), request.getHeaderString(IapVerifier.HEADER));
  }

  /**
   * Null when the credentials let the caller in; otherwise the 401 or 403 to answer with. Either
   * header may be null (absent).
   */
  public Response check(String key, String assertion) {
    if (key != null) {
      return keyAccepted(key) ? null : refuse(403, API_KEY_HEADER, "admin key not accepted");
    }
    if (assertion != null && iap != null) {
      try {
        String user = iapEmail(assertion);
        if (!allowed(user)) {
          return refuse(403, IapVerifier.HEADER, "user not allowed");
        }
        LOG.debugf("Admin call by %s", user);
        return null;
      } catch (IapVerifier.InvalidTokenException e) {
        return refuse(403, IapVerifier.HEADER, "IAP assertion not accepted: " + e.getMessage());
      }
    }
    return refuse(401, API_KEY_HEADER, "admin credential required: send " + API_KEY_HEADER);
  }

  /** The IAP user the assertion names when IAP is on, verifies it and lets that user in. */
  public Optional<String> iapUser(String assertion) {
    if (assertion == null || iap == null) {
      return Optional.empty();
    }
    try {
      String user = iapEmail(assertion);
      return allowed(user) ? Optional.of(user) : Optional.empty();
    } catch (IapVerifier.InvalidTokenException e) {
      return Optional.empty();
    }
  }

  private String iapEmail(String assertion) throws IapVerifier.InvalidTokenException {
    String plain = iap.verify(assertion).toLowerCase(Locale.ROOT);
    return plain.startsWith(IAP_ACCOUNT_PREFIX)
        ? plain.substring(IAP_ACCOUNT_PREFIX.length())
        : plain;
  }

  private boolean allowed(String user) {
    return allowedEmails.isEmpty() || allowedEmails.get().contains(user);
  }

  private boolean keyAccepted(String key) {
    if (keyHash == null) {
      return false;
    }
    try {
      byte[] given =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return MessageDigest.isEqual(keyHash, given);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Response refuse(int status, String field, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(new ApiError(status == 401 ? "UNAUTHENTICATED" : "FORBIDDEN", field, message))
        .build();
  }
}
