package dev.orgprovisioner.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Health probes and metrics gauges. */
@ConfigMapping(prefix = "monitoring")
public interface MonitoringConfig {

  /** Longest a readiness probe waits for Firestore or the warehouse before answering DOWN. */
  @WithDefault("3s")
  Duration healthTimeout();

  /** How often the queue-depth gauges are refreshed with a Firestore count query. */
  @WithDefault("30s")
  Duration queueDepthInterval();
}
