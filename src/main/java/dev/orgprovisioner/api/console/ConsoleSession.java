package dev.orgprovisioner.api.console;

import dev.orgprovisioner.api.AdminConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.NewCookie;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The console's signed session cookie and per-form CSRF tokens, both HMACs under a key drawn at
 * start: a restart (or another instance) asks for the admin key again, and nothing that can open a
 * session is stored anywhere.
 */
@Singleton
public class ConsoleSession {

  public static final String COOKIE = "console_session";

  private final byte[] secret;
  private final Duration ttl;

  @Inject
  public ConsoleSession(AdminConfig config) {
    this(config.console().sessionTtl());
  }

  ConsoleSession(Duration ttl) {
    this.secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.ttl = ttl;
  }

  /** A new session value: its expiry and the HMAC of it (no key, no user data). */
  public String open(Instant now) {
    String expiry = Long.toString(now.plus(ttl).getEpochSecond());
    return expiry + "." + mac("session|" + expiry);
  }

  /** Whether the value is one this process issued and it has not expired. */
  public boolean valid(String value, Instant now) {
    if (value == null) {
      return false;
    }
    int dot = value.indexOf('.');
    if (dot < 1) {
      return false;
    }
    String expiry = value.substring(0, dot);
    if (!expiry.chars().allMatch(Character::isDigit) || expiry.length() > 12) {
      return false;
    }
    boolean signed =
        MessageDigest.isEqual(
            mac("session|" + expiry).getBytes(StandardCharsets.US_ASCII),
            value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
    return signed && Long.parseLong(expiry) > now.getEpochSecond();
  }

  /** The form token of a principal (session value or verified user); bound to it alone. */
  public String csrfToken(String principal) {
    return mac("csrf|" + principal);
  }

  /** Whether {@code token} is the principal's form token. */
  public boolean csrfValid(String principal, String token) {
    return token != null
        && MessageDigest.isEqual(
            csrfToken(principal).getBytes(StandardCharsets.US_ASCII),
            token.getBytes(StandardCharsets.US_ASCII));
  }

  /** The cookie carrying {@code value}: HttpOnly, SameSite=Strict, Secure over https. */
  public NewCookie cookie(String value, boolean https) {
    return new NewCookie.Builder(COOKIE)
        .value(value)
        .path("/console")
        .httpOnly(true)
        .secure(https)
        .sameSite(NewCookie.SameSite.STRICT)
        .maxAge((int) ttl.toSeconds())
        .build();
  }

  /** The cookie that ends the session in the browser. */
  public NewCookie expired(boolean https) {
    return new NewCookie.Builder(COOKIE)
        .value("")
        .path("/console")
        .httpOnly(true)
        .secure(https)
        .sameSite(NewCookie.SameSite.STRICT)
        .maxAge(0)
        .build();
  }

  private String mac(String text) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(hmac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
