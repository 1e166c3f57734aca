package dev.orgprovisioner.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Who may call the admin API ({@code /api/v1}): an API key, or Google IAP in front of it. */
@ConfigMapping(prefix = "admin")
public interface AdminConfig {

  /** SHA-256 (64 hex digits) of the key callers send in X-Admin-Key; unset accepts no key. */
  Optional<String> apiKeySha256();

  /** Identity-Aware Proxy: accept the signed X-Goog-IAP-JWT-Assertion header. */
  Iap iap();

  /** The operator console at /console (same credentials; a browser session after login). */
  Console console();

  /** Settings of the console's browser session. */
  interface Console {

    /** How long a console session lasts after the admin key was given at /console/login. */
    @WithDefault("8h")
    Duration sessionTtl();
  }

  /** Settings of IAP's signed header. */
  interface Iap {

    /** Accept the IAP header (only when the service is reachable through IAP alone). */
    @WithDefault("false")
    boolean enabled();

    /**
     * Expected audience: /projects/NUMBER/global/backendServices/ID (load balancer) or
     * /projects/NUMBER/apps/PROJECT_ID (App Engine); required when IAP is enabled.
     */
    Optional<String> audience();

    /** Where IAP's public signing keys (JWK set) are read: an https or file URL. */
    @WithDefault("https://www.gstatic.com/iap/verify/public_key-jwk")
    String jwksUrl();

    /** Allowed clock difference when checking the token's issue and expiry times. */
    @WithDefault("30s")
    Duration clockSkew();

    /**
     * Only these users' e-mails are let in (as IAP puts them, e.g. accounts.google.com:a@b.c is
     * read as a@b.c); unset lets in everyone IAP let through.
     */
    Optional<List<String>> allowedEmails();
  }
}
