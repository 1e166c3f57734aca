package dev.orgprovisioner.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.NewCookie;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The console's session values and form tokens: signed, expiring, bound to their principal. */
class ConsoleSessionTest {

  private static final Instant NOW = Instant.parse("2030-05-01T10:00:00Z");
  private final ConsoleSession session = new ConsoleSession(Duration.ofHours(8));

  @Test
  void aSession_isValidUntilItsExpiry_andNotAfter() {
    String value = session.open(NOW);
    assertThat(session.valid(value, NOW.plus(Duration.ofHours(7)))).isTrue();
    assertThat(session.valid(value, NOW.plus(Duration.ofHours(8)))).isFalse();
  }

  @Test
  void aTamperedOrForeignSession_isNotValid() {
    String value = session.open(NOW);
    String later = Long.toString(NOW.plus(Duration.ofDays(30)).getEpochSecond());
    assertThat(session.valid(later + value.substring(value.indexOf('.')), NOW)).isFalse();
    assertThat(session.valid(value + "x", NOW)).isFalse();
    assertThat(session.valid("", NOW)).isFalse();
    assertThat(session.valid("abc.def", NOW)).isFalse();
    assertThat(session.valid(null, NOW)).isFalse();
    assertThat(new ConsoleSession(Duration.ofHours(8)).valid(value, NOW)).isFalse();
  }

  @Test
  void aFormToken_isAcceptedOnlyForItsOwnPrincipal() {
    String token = session.csrfToken("session|a");
    assertThat(session.csrfValid("session|a", token)).isTrue();
    assertThat(session.csrfValid("session|b", token)).isFalse();
    assertThat(session.csrfValid("session|a", null)).isFalse();
    assertThat(session.csrfValid("session|a", "")).isFalse();
  }

  @Test
  void theCookie_isHttpOnlyStrictAndSecureOnlyOverHttps() {
    NewCookie plain = session.cookie("v", false);
    NewCookie https = session.cookie("v", true);
    assertThat(plain.isHttpOnly()).isTrue();
    assertThat(plain.getSameSite()).isEqualTo(NewCookie.SameSite.STRICT);
    assertThat(plain.isSecure()).isFalse();
    assertThat(https.isSecure()).isTrue();
    assertThat(plain.getPath()).isEqualTo("/console");
    assertThat(session.expired(true).getMaxAge()).isZero();
  }
}
