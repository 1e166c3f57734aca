package dev.orgprovisioner.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
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
  private KeyPair key;
  private IapVerifier verifier;

  @BeforeEach
  void start() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    key = generator.generateKeyPair();
    byte[] jwks = jwks("key-1", (ECPublicKey) key.getPublic()).getBytes(StandardCharsets.UTF_8);
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

  private static String jwks(String kid, ECPublicKey pub) {
    return "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES256\",\"kid\":\""
        + kid
        + "\",\"x\":\""
        + B64.encodeToString(unsigned(pub.getW().getAffineX()))
        + "\",\"y\":\""
        + B64.encodeToString(unsigned(pub.getW().getAffineY()))
        + "\"}]}";
  }

  private static byte[] unsigned(BigInteger n) {
    byte[] bytes = n.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(32, bytes.length);
    System.arraycopy(bytes, bytes.length - len, out, 32 - len, len);
    return out;
  }

  private String token(String kid, String alg, String claims) throws Exception {
    String header =
        B64.encodeToString(
            ("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8));
    String payload = B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
    signer.initSign(key.getPrivate());
    signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
    return header + "." + payload + "." + B64.encodeToString(signer.sign());
  }

  private static String claims(String iss, String aud, long iat, long exp) {
    return "{\"iss\":\""
        + iss
        + "\",\"aud\":\""
        + aud
        + "\",\"iat\":"
        + iat
        + ",\"exp\":"
        + exp
        + ",\"sub\":\"accounts.google.com:1\",\"email\":\"accounts.google.com:ops@example.com\"}";
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
