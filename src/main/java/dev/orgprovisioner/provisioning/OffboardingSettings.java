package dev.orgprovisioner.provisioning;

import java.time.Duration;

/**
 * Offboarding's times.
 *
 * @param gracePeriod offboarding to deletion, when the command names no {@code grace_days}
 * @param restoreWindow how long after the deletion a restore can undelete the dataset (BigQuery's
 *     time travel window: 7 days unless the dataset sets less)
 */
public record OffboardingSettings(Duration gracePeriod, Duration restoreWindow) {

  /** The defaults, the one source of them (configuration overrides each). */
  public static final OffboardingSettings DEFAULTS =
      new OffboardingSettings(Duration.ofDays(30), Duration.ofDays(7));

  public OffboardingSettings {
    if (gracePeriod.isNegative() || restoreWindow.isNegative()) {
      throw new IllegalArgumentException("offboarding times must not be negative");
    }
  }
}
