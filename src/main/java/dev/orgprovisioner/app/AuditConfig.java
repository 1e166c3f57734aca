package dev.orgprovisioner.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How spooled audit and notification history rows reach the warehouse. */
@ConfigMapping(prefix = "audit")
public interface AuditConfig {

  /** Pause between drains of the spool into the warehouse. */
  @WithDefault("2s")
  Duration drainInterval();

  /** Rows read from the spool and upserted per round. */
  @WithDefault("200")
  int drainBatchSize();

  /** How often rows the warehouse refused (parked) are tried again. */
  @WithDefault("5m")
  Duration parkedRetryInterval();
}
