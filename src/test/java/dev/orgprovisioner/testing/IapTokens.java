package dev.orgprovisioner.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Signs IAP-style ES256 tokens with a fresh P-256 key and describes that key as a JWK set. */
public final class IapTokens {

  public static final String ISSUER = "https://cloud.google.com/iap";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final KeyPair key;

  public IapTokens() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      key = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key as a JWK set with one key of id {@code kid}. */
  public String jwks(String kid) {
    ECPublicKey pub = (ECPublicKey) key.getPublic();
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

  /** A signed token with this header and claims JSON. */
  public String token(String kid, String alg, String claims) {
    String header =
        B64.encodeToString(
            ("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8));
    String payload = B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
      signer.initSign(key.getPrivate());
      signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
      return header + "." + payload + "." + B64.encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** IAP's claims for a user, issued at {@code iat} and expiring at {@code exp} (epoch seconds). */
  public static String claims(String iss, String aud, long iat, long exp, String email) {
    return "{\"iss\":\""
        + iss
        + "\",\"aud\":\""
        + aud
        + "\",\"iat\":"
        + iat
        + ",\"exp\":"
        + exp
        + ",\"sub\":\"accounts.google.com:1\",\"email\":\""
        + email
        + "\"}";
  }
}
