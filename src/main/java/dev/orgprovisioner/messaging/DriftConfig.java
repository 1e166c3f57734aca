package dev.orgprovisioner.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** When the nightly drift check runs and what it may repair. */
@ConfigMapping(prefix = "drift")
public interface DriftConfig {

  /** Quartz-style cron of the nightly check (seconds minutes hours day month weekday). */
  @WithDefault("0 0 3 * * ?")
  String cron();

  /** Time zone the cron is read in. */
  @WithDefault("UTC")
  String timeZone();

  /** Whether the scheduled check queues repair syncs for additive drift and deleted datasets. */
  @WithDefault("true")
  boolean autoRepair();
}
