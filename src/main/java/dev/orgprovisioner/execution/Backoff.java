package dev.orgprovisioner.execution;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff: the n-th wait is {@code base·2^(n-1)} capped at {@code max} ({@link
 * #ceiling}), or with jitter a random wait between half and all of that ({@link #delay}). The one
 * backoff rule of job retries, ledger retries, intake retries, warehouse calls and notifications.
 */
public record Backoff(Duration base, Duration max) {

  /** The n-th wait (n ≥ 1) without jitter. */
  public Duration ceiling(int attempt) {
    long baseMs = Math.max(1, base.toMillis());
    long cap = Math.max(baseMs, max.toMillis());
    return Duration.ofMillis(Math.min(cap, baseMs << Math.min(20, Math.max(0, attempt - 1))));
  }

  /** The n-th wait (n ≥ 1) with jitter, so that many retrying callers spread out. */
  public Duration delay(int attempt, RandomGenerator random) {
    long exp = ceiling(attempt).toMillis();
    return Duration.ofMillis(exp / 2 + random.nextLong(exp / 2 + 1));
  }
}
