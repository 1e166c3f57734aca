package dev.orgprovisioner.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** HMAC signing, retry classification, backoff and secret references (pure). */
class DeliveryRulesTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void signature_isHmacSha256OfTimestampDotBody_andVerifies() {
    byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    String signature = WebhookSigner.sign("s3cret", 1_767_225_600L, body);

    // Computed independently: printf '1767225600.{"a":1}' | openssl dgst -sha256 -hmac s3cret
    assertThat(signature)
        .isEqualTo("sha256=7d4120fcebf444efab10ba7cd6c651bf463cefb039db5fad37ff9f7231ac8a4a");
    assertThat(
            WebhookSigner.verify(
                "s3cret", "1767225600", body, signature, NOW, Duration.ofMinutes(5)))
        .isTrue();
  }

  @Test
  void verification_rejectsOtherSecretTamperedBodyAndReplayedTimestamp() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    long ts = NOW.getEpochSecond();
    String sig = WebhookSigner.sign("k", ts, body);
    Duration tolerance = Duration.ofMinutes(5);

    assertThat(WebhookSigner.verify("other", "" + ts, body, sig, NOW, tolerance)).isFalse();
    assertThat(WebhookSigner.verify("k", "" + ts, "{ }".getBytes(), sig, NOW, tolerance)).isFalse();
    assertThat(WebhookSigner.verify("k", "" + ts, body, sig, NOW.plusSeconds(301), tolerance))
        .isFalse();
    assertThat(WebhookSigner.verify("k", "" + (ts + 1), body, sig, NOW, tolerance)).isFalse();
  }

  @Test
  void httpStatuses_areClassified() {
    assertThat(SendResult.ofHttpStatus(204, Optional.empty(), NOW))
        .isInstanceOf(SendResult.Sent.class);
    assertThat(SendResult.ofHttpStatus(500, Optional.empty(), NOW))
        .isInstanceOf(SendResult.Transient.class);
    assertThat(SendResult.ofHttpStatus(408, Optional.empty(), NOW))
        .isInstanceOf(SendResult.Transient.class);
    assertThat(SendResult.ofHttpStatus(400, Optional.empty(), NOW))
        .isEqualTo(new SendResult.Permanent("HTTP 400"));
    assertThat(SendResult.ofHttpStatus(404, Optional.of("5"), NOW))
        .isInstanceOf(SendResult.Permanent.class);
    assertThat(SendResult.ofHttpStatus(429, Optional.of("7"), NOW))
        .isEqualTo(new SendResult.Transient("HTTP 429", Duration.ofSeconds(7)));
    assertThat(SendResult.ofHttpStatus(503, Optional.of("Thu, 01 Jan 2026 00:00:30 GMT"), NOW))
        .isEqualTo(new SendResult.Transient("HTTP 503", Duration.ofSeconds(30)));
  }

  @Test
  void backoff_doublesUpToTheCap_andHonoursRetryAfterUpToTheCap() {
    RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(5));

    assertThat(policy.delay(1, null)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delay(2, null)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.delay(3, null)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.delay(4, null)).isEqualTo(Duration.ofSeconds(5));
    assertThat(policy.delay(1, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    assertThat(policy.delay(1, Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void secretReferences_resolveFromTheLookup_andClearTextIsRefused() {
    ReferenceSecretResolver resolver =
        new ReferenceSecretResolver(name -> Optional.ofNullable(Map.of("HOOK", "x").get(name)));

    assertThat(resolver.resolve("", "env:HOOK")).contains("x");
    assertThat(resolver.resolve("", "env:MISSING")).isEmpty();
    assertThatThrownBy(() -> resolver.resolve("", "https://hooks.slack.com/services/T/B/X"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("env:NAME")
        .hasMessageNotContaining("hooks.slack.com");
  }
}
