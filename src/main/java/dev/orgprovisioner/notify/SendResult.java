package dev.orgprovisioner.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** The outcome of one delivery attempt, classified so the notifier knows whether to retry. */
public sealed interface SendResult {

  /** The channel accepted the message. */
  record Sent() implements SendResult {}

  /**
   * Worth retrying (timeout, connection refused, 5xx, 408, 429).
   *
   * @param retryAfter the wait the receiver asked for (429/503 Retry-After), or null
   */
  record Transient(String error, Duration retryAfter) implements SendResult {}

  /** Retrying cannot help (other 4xx, bad address, missing secret). */
  record Permanent(String error) implements SendResult {}

  static SendResult sent() {
    return new Sent();
  }

  /** Classifies an HTTP answer: 2xx sent; 408, 429, 5xx transient; anything else permanent. */
  static SendResult ofHttpStatus(int status, Optional<String> retryAfter, Instant now) {
    if (status >= 200 && status < 300) {
      return new Sent();
    }
    String error = "HTTP " + status;
    if (status == 408 || status == 429 || status >= 500) {
      return new Transient(error, retryAfter.map(v -> parseRetryAfter(v, now)).orElse(null));
    }
    return new Permanent(error);
  }

  /** Retry-After as delta-seconds or an HTTP date; null when unreadable. */
  static Duration parseRetryAfter(String value, Instant now) {
    String v = value.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(now, at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (RuntimeException e2) {
        return null;
      }
    }
  }
}
