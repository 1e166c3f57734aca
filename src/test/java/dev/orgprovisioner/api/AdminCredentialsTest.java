package dev.orgprovisioner.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.testing.IapTokens;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who the admin filter lets in, for each way of configuring it (key, IAP, nothing). */
class AdminCredentialsTest {

  private static final String AUDIENCE = "/projects/1/global/backendServices/2";
  private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");

  @TempDir Path dir;

  private static AdminConfig config(
      Optional<String> hash,
      boolean iap,
      Optional<String> audience,
      String jwksUrl,
      Optional<List<String>> allowed) {
    return new AdminConfig() {
      @Override
      public Optional<String> apiKeySha256() {
        return hash;
      }

      @Override
      public Iap iap() {
        return new Iap() {
          @Override
          public boolean enabled() {
            return iap;
          }

          @Override
          public Optional<String> audience() {
            return audience;
          }

          @Override
          public String jwksUrl() {
            return jwksUrl;
          }

          @Override
          public Duration clockSkew() {
            return Duration.ofSeconds(30);
          }

          @Override
          public Optional<List<String>> allowedEmails() {
            return allowed;
          }
        };
      }

      @Override
      public Console console() {
        return () -> Duration.ofHours(8);
      }
    };
  }

  private static String sha256(String s) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private static int status(Response r) {
    return r == null ? 200 : r.getStatus();
  }

  @Test
  void apiKey_rightIsLetIn_wrongIs403_noneIs401() throws Exception {
    AdminCredentials creds =
        new AdminCredentials(
            config(Optional.of(sha256("s3cret")), false, Optional.empty(), "", Optional.empty()));

    assertThat(status(creds.check("s3cret", null))).isEqualTo(200);
    assertThat(status(creds.check("s3cret ", null))).isEqualTo(403);
    assertThat(status(creds.check("", null))).isEqualTo(403);
    assertThat(status(creds.check(null, null))).isEqualTo(401);
  }

  @Test
  void nothingConfigured_refusesEveryone() {
    AdminCredentials creds =
        new AdminCredentials(
            config(Optional.empty(), false, Optional.empty(), "", Optional.empty()));

    assertThat(status(creds.check("anything", null))).isEqualTo(403);
    assertThat(status(creds.check(null, "a.b.c"))).isEqualTo(401);
    assertThat(status(creds.check(null, null))).isEqualTo(401);
  }

  @Test
  void malformedHash_failsTheStartWithTheKeyName() {
    assertThatThrownBy(
            () ->
                new AdminCredentials(
                    config(Optional.of("abc"), false, Optional.empty(), "", Optional.empty())))
        .hasMessageContaining("admin.api-key-sha256")
        .hasMessageNotContaining("abc");
  }

  @Test
  void iap_letsInAllowedUsersWithValidTokens_only() throws Exception {
    IapTokens tokens = new IapTokens();
    Path jwks = dir.resolve("jwk.json");
    Files.writeString(jwks, tokens.jwks("k1"));
    AdminCredentials creds =
        new AdminCredentials(
            config(
                Optional.empty(),
                true,
                Optional.of(AUDIENCE),
                jwks.toUri().toString(),
                Optional.of(List.of("Ops@Example.com"))),
            Clock.fixed(NOW, ZoneOffset.UTC));
    long now = NOW.getEpochSecond();
    String ops = iapToken(tokens, AUDIENCE, "accounts.google.com:ops@example.com", now);
    String other = iapToken(tokens, AUDIENCE, "accounts.google.com:eve@example.com", now);
    String forOtherService = iapToken(tokens, "/projects/1/other", "ops@example.com", now);

    assertThat(status(creds.check(null, ops))).isEqualTo(200);
    assertThat(status(creds.check(null, other))).isEqualTo(403);
    assertThat(status(creds.check(null, forOtherService))).isEqualTo(403);
    assertThat(status(creds.check(null, "garbage"))).isEqualTo(403);
    // A key header wins over IAP: no key is configured, so it is refused.
    assertThat(status(creds.check("guess", ops))).isEqualTo(403);
  }

  @Test
  void iapWithoutAudience_isRefused() throws Exception {
    IapTokens tokens = new IapTokens();
    Path jwks = dir.resolve("jwk.json");
    Files.writeString(jwks, tokens.jwks("k1"));
    AdminCredentials creds =
        new AdminCredentials(
            config(
                Optional.empty(),
                true,
                Optional.empty(),
                jwks.toUri().toString(),
                Optional.empty()),
            Clock.fixed(NOW, ZoneOffset.UTC));
    long now = NOW.getEpochSecond();
    String token =
        tokens.token(
            "k1", "ES256", IapTokens.claims(IapTokens.ISSUER, AUDIENCE, now, now + 60, "a@b.c"));

    assertThat(status(creds.check(null, token))).isEqualTo(401);
  }

  /** A token signed with key k1, valid for ten minutes from {@code now}, for the given subject. */
  private static String iapToken(IapTokens tokens, String audience, String email, long now) {
    return tokens.token(
        "k1", "ES256", IapTokens.claims(IapTokens.ISSUER, audience, now, now + 600, email));
  }
}
