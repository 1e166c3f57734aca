package dev.orgprovisioner.messaging;

import dev.orgprovisioner.command.CommandType;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Fires the nightly drift check. Every replica fires, and each publishes a {@code
 * drift.check.requested} whose idempotency key is derived from the scheduled slot, so the intake's
 * claim lets exactly one check run per slot.
 */
@ApplicationScoped
public class DriftScheduler {

  private static final Logger LOG = Logger.getLogger(DriftScheduler.class);

  private final MessagingConfig messaging;
  private final DriftConfig drift;

  public DriftScheduler(MessagingConfig messaging, DriftConfig drift) {
    this.messaging = messaging;
    this.drift = drift;
  }

  @Scheduled(
      identity = "nightly-drift-check",
      cron = "${drift.cron}",
      timeZone = "${drift.time-zone}")
  void fire(ScheduledExecution execution) {
    publish(execution.getScheduledFireTime());
  }

  /** Publishes the check of one slot; returns its idempotency key. */
  public String publish(Instant slot) {
    String key = "drift-check-" + slot.truncatedTo(ChronoUnit.MINUTES);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("scope", "all");
    data.put("auto_repair", drift.autoRepair());
    try (PubSubTransport transport = PubSubTransport.create(messaging.emulatorHost());
        CommandPublisher publisher =
            new CommandPublisher(
                transport,
                messaging.projectId(),
                messaging.commandsTopic(),
                "//org-provisioner/scheduler")) {
      publisher.publish(CommandType.DRIFT_CHECK, null, data, key);
    }
    LOG.infof("Published the drift check of slot %s (key %s)", slot, key);
    return key;
  }
}
