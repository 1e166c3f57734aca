package dev.orgprovisioner.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Verifies Google IAP's signed header (a JWT in {@code X-Goog-IAP-JWT-Assertion}): ES256 signature
 * against IAP's published keys (fetched from a URL and cached; fetched again, at most once a
 * minute, when a token names an unknown key), issuer {@code https://cloud.google.com/iap}, the
 * configured audience, issue and expiry times within a clock skew, and an e-mail claim.
 */
public final class IapVerifier {

  public static final String HEADER = "X-Goog-IAP-JWT-Assertion";
  static final String ISSUER = "https://cloud.google.com/iap";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REFETCH_AT_MOST = Duration.ofMinutes(1);

  /** Why a token was refused (shown to the caller; never contains the token). */
  public static final class InvalidTokenException extends Exception {
    InvalidTokenException(String message) {
      super(message);
    }
  }

  private final String jwksUrl;
  private final String audience;
  private final Duration skew;
  private final Clock clock;
  private volatile Map<String, PublicKey> keys = Map.of();
  private volatile Instant fetchedAt = Instant.EPOCH;

  public IapVerifier(String jwksUrl, String audience, Duration skew, Clock clock) {
    this.jwksUrl = jwksUrl;
    this.audience = audience;
    this.skew = skew;
    this.clock = clock;
  }

  /** The verified user's e-mail, or an exception saying why the token is refused. */
  public String verify(String token) throws InvalidTokenException {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidTokenException("not a signed JWT");
    }
    JsonNode header = decode(parts[0]);
    JsonNode claims = decode(parts[1]);
    if (!"ES256".equals(header.path("alg").asText())) {
      throw new InvalidTokenException("algorithm must be ES256");
    }
    PublicKey key = key(header.path("kid").asText());
    try {
      Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
      verifier.initVerify(key);
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        throw new InvalidTokenException("bad signature");
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new InvalidTokenException("bad signature");
    }
    Instant now = clock.instant();
    if (!ISSUER.equals(claims.path("iss").asText())) {
      throw new InvalidTokenException("wrong issuer");
    }
    if (!audience.equals(claims.path("aud").asText())) {
      throw new InvalidTokenException("wrong audience");
    }
    if (!claims.path("exp").canConvertToLong()
        || Instant.ofEpochSecond(claims.path("exp").asLong()).plus(skew).isBefore(now)) {
      throw new InvalidTokenException("expired");
    }
    if (!claims.path("iat").canConvertToLong()
        || Instant.ofEpochSecond(claims.path("iat").asLong()).minus(skew).isAfter(now)) {
      throw new InvalidTokenException("issued in the future");
    }
    String email = claims.path("email").asText("");
    if (email.isBlank()) {
      throw new InvalidTokenException("no e-mail claim");
    }
    return email;
  }

  private static JsonNode decode(String part) throws InvalidTokenException {
    try {
      return JSON.readTree(Base64.getUrlDecoder().decode(part));
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidTokenException("not a signed JWT");
    }
  }

  private PublicKey key(String kid) throws InvalidTokenException {
    PublicKey key = keys.get(kid);
    if (key == null) {
      synchronized (this) {
        key = keys.get(kid);
        Instant now = clock.instant();
        if (key == null && fetchedAt.plus(REFETCH_AT_MOST).isBefore(now)) {
          fetchedAt = now;
          keys = fetch();
          key = keys.get(kid);
        }
      }
    }
    if (key == null) {
      throw new InvalidTokenException("unknown signing key");
    }
    return key;
  }

  private Map<String, PublicKey> fetch() {
    try {
      URLConnection connection = URI.create(jwksUrl).toURL().openConnection();
      connection.setConnectTimeout(3000);
      connection.setReadTimeout(3000);
      try (InputStream in = connection.getInputStream()) {
        return parseJwks(JSON.readTree(in));
      }
    } catch (IOException | RuntimeException e) {
      // Keep the keys we had: a fetch failure must not lock out tokens signed with known keys.
      return keys;
    }
  }

  /** The EC P-256 keys of a JWK set, by key id. */
  static Map<String, PublicKey> parseJwks(JsonNode jwks) {
    Map<String, PublicKey> parsed = new HashMap<>();
    for (JsonNode k : jwks.path("keys")) {
      if (!"EC".equals(k.path("kty").asText()) || !"P-256".equals(k.path("crv").asText())) {
        continue;
      }
      try {
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        ECPoint point =
            new ECPoint(
                new BigInteger(1, Base64.getUrlDecoder().decode(k.path("x").asText())),
                new BigInteger(1, Base64.getUrlDecoder().decode(k.path("y").asText())));
        parsed.put(
            k.path("kid").asText(),
            KeyFactory.getInstance("EC")
                .generatePublic(
                    new ECPublicKeySpec(point, params.getParameterSpec(ECParameterSpec.class))));
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // A key we cannot read cannot verify anything; the others still can.
      }
    }
    return Map.copyOf(parsed);
  }
}
