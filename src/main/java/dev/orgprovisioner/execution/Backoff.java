package dev.orgprovisioner.execution;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the n-th delay is random between half and all of {@code
 * base·2^(n-1)}, capped at {@code max}. The one backoff rule of job retries and ledger retries.
 */
public record Backoff(Duration base, Duration max) {

  public Duration delay(int attempt, RandomGenerator random) {
    long baseMs = Math.max(1, base.toMillis());
    long cap = Math.max(baseMs, max.toMillis());
    long exp = Math.min(cap, baseMs << Math.min(20, Math.max(0, attempt - 1)));
    return Duration.ofMillis(exp / 2 + random.nextLong(exp / 2 + 1));
  }
}
