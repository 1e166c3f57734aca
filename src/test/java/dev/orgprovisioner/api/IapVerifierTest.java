package dev.orgprovisioner.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.orgprovisioner.testing.IapTokens;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IAP's signed header, with tokens this test signs itself (ES256) and its public key served as a
 * JWK set by a local HTTP server standing in for Google's key endpoint.
 */
class IapVerifierTest {

  private static final String AUDIENCE = "/projects/123/global/backendServices/456";
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private HttpServer server;
  private final AtomicInteger fetches = new AtomicInteger();
  private final IapTokens tokens = new IapTokens();
  private IapVerifier verifier;

  @BeforeEach
  void start() throws Exception {
    byte[] jwks = tokens.jwks("key-1").getBytes(StandardCharsets.UTF_8);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/jwk",
        exchange -> {
          fetches.incrementAndGet();
          exchange.sendResponseHeaders(200, jwks.length);
          exchange.getResponseBody().write(jwks);
          exchange.close();
        });
    server.start();
    verifier =
        new IapVerifier(
            "http://127.0.0.1:" + server.getAddress().getPort() + "/jwk",
            AUDIENCE,
            Duration.ofSeconds(30),
            Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String token(String kid, String alg, String claims) {
    return tokens.token(kid, alg, claims);
  }

  private static String claims(String iss, String aud, long iat, long exp) {
    return IapTokens.claims(iss, aud, iat, exp, "accounts.google.com:ops@example.com");
  }

  private String valid() throws Exception {
    long now = NOW.getEpochSecond();
    return token("key-1", "ES256", claims(IapVerifier.ISSUER, AUDIENCE, now - 60, now + 540));
  }

  @Test
  void validToken_yieldsTheUsersEmail_andTheKeysAreFetchedOnce() throws Exception {
    assertThat(verifier.verify(valid())).isEqualTo("accounts.google.com:ops@example.com");
    assertThat(verifier.verify(valid())).isEqualTo("accounts.google.com:ops@example.com");
    assertThat(fetches).hasValue(1);
  }

  @Test
  void tamperedPayload_isRefused() throws Exception {
    String[] parts = valid().split("\\.");
    String forged =
        B64.encodeToString(
            claims(IapVerifier.ISSUER, AUDIENCE, NOW.getEpochSecond(), NOW.getEpochSecond() + 600)
                .replace("ops@", "intruder@")
                .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> verifier.verify(parts[0] + "." + forged + "." + parts[2]))
        .hasMessage("bad signature");
  }

  @Test
  void wrongAudienceIssuerOrTimes_areRefused() {
    long now = NOW.getEpochSecond();
    assertThatThrownBy(
            () ->
                verifier.verify(
                    token("key-1", "ES256", claims(IapVerifier.ISSUER, "/other", now, now + 60))))
        .hasMessage("wrong audience");
    assertThatThrownBy(
            () ->
                verifier.verify(
                    token("key-1", "ES256", claims("https://evil", AUDIENCE, now, now + 60))))
        .hasMessage("wrong issuer");
    assertThatThrownBy(
            () ->
                verifier.verify(
                    token(
                        "key-1",
                        "ES256",
                        claims(IapVerifier.ISSUER, AUDIENCE, now - 700, now - 100))))
        .hasMessage("expired");
    assertThatThrownBy(
            () ->
                verifier.verify(
                    token(
                        "key-1",
                        "ES256",
                        claims(IapVerifier.ISSUER, AUDIENCE, now + 300, now + 900))))
        .hasMessage("issued in the future");
  }

  @Test
  void unknownKeyOrOtherAlgorithm_areRefused() throws Exception {
    long now = NOW.getEpochSecond();
    String body = claims(IapVerifier.ISSUER, AUDIENCE, now, now + 60);
    assertThatThrownBy(() -> verifier.verify(token("key-9", "ES256", body)))
        .hasMessage("unknown signing key");
    assertThatThrownBy(() -> verifier.verify(token("key-1", "none", body)))
        .hasMessage("algorithm must be ES256");
    assertThatThrownBy(() -> verifier.verify("not-a-jwt")).hasMessage("not a signed JWT");
    String[] parts = valid().split("\\.");
    byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
    assertThatThrownBy(
            () ->
                verifier.verify(
                    parts[0]
                        + "."
                        + parts[1]
                        + "."
                        + B64.encodeToString(Arrays.copyOf(sig, sig.length - 1))))
        .hasMessage("bad signature");
  }
}
