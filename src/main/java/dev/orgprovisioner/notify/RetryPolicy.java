package dev.orgprovisioner.notify;

import dev.orgprovisioner.execution.Backoff;
import java.time.Duration;

/**
 * How often and how long to retry a transient failure: exponential backoff from {@code base},
 * capped at {@code max}; a receiver's Retry-After is honoured up to {@code max}.
 *
 * @param maxAttempts attempts in all, the first included
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration max) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("notify.retry-max-attempts must be at least 1");
    }
  }

  /** The wait before attempt {@code failedAttempts + 1}. */
  public Duration delay(int failedAttempts, Duration retryAfter) {
    if (retryAfter != null) {
      return retryAfter.compareTo(max) > 0 ? max : retryAfter;
    }
    return new Backoff(base, max).ceiling(failedAttempts);
  }
}
