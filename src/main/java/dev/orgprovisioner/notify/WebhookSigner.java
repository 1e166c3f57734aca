package dev.orgprovisioner.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies so receivers can check origin and reject replays: {@code X-Signature:
 * sha256=<hex of HMAC-SHA256(secret, timestamp + "." + body)>} with {@code X-Timestamp} = epoch
 * seconds. A receiver recomputes the HMAC and refuses timestamps outside its tolerance.
 */
public final class WebhookSigner {

  public static final String SIGNATURE_HEADER = "X-Signature";
  public static final String TIMESTAMP_HEADER = "X-Timestamp";
  private static final String PREFIX = "sha256=";

  private WebhookSigner() {}

  /** The {@code X-Signature} value for a body sent at {@code epochSeconds}. */
  public static String sign(String secret, long epochSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((epochSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  /**
   * What a receiver does: true when the signature matches and the timestamp is within {@code
   * tolerance} of {@code now} (constant-time comparison).
   */
  public static boolean verify(
      String secret,
      String timestampHeader,
      byte[] body,
      String signatureHeader,
      Instant now,
      Duration tolerance) {
    if (timestampHeader == null || signatureHeader == null) {
      return false;
    }
    long ts;
    try {
      ts = Long.parseLong(timestampHeader.trim());
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(now.getEpochSecond() - ts) > tolerance.toSeconds()) {
      return false;
    }
    byte[] expected = sign(secret, ts, body).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, signatureHeader.trim().getBytes(StandardCharsets.UTF_8));
  }
}
