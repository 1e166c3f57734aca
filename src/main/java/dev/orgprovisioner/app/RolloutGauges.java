package dev.orgprovisioner.app;

import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.provisioning.RolloutProgress;
import dev.orgprovisioner.rollout.Rollout;
import dev.orgprovisioner.rollout.RolloutStatus;
import dev.orgprovisioner.rollout.port.RolloutRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Roll-out gauges, read from the roll-out records in the ledger (so every instance shows the same):
 * each recent roll-out's status and current wave, and per wave its orgs, done, failed and running.
 */
@ApplicationScoped
public class RolloutGauges {

  /** Roll-outs shown: the newest ones (older series drop out, keeping the label count bounded). */
  static final int SHOWN = 5;

  private static final Logger LOG = Logger.getLogger(RolloutGauges.class);

  private final RolloutRecords records;
  private final Ledger ledger;
  private final MultiGauge status;
  private final MultiGauge wave;
  private final MultiGauge waveOrgs;

  public RolloutGauges(RolloutRecords records, Ledger ledger, MeterRegistry registry) {
    this.records = records;
    this.ledger = ledger;
    this.status =
        MultiGauge.builder("provisioner.rollout.status")
            .description(
                "1 for the roll-out's status (RUNNING, BAKING, HALTED, COMPLETED, ABORTED)")
            .register(registry);
    this.wave =
        MultiGauge.builder("provisioner.rollout.wave")
            .description("Index of the roll-out's current wave (0 = the first)")
            .register(registry);
    this.waveOrgs =
        MultiGauge.builder("provisioner.rollout.wave.orgs")
            .description(
                "Orgs of a roll-out's wave by state: total, done (sync ended), failed, running"
                    + " (sync queued, not ended)")
            .register(registry);
  }

  void onStart(@Observes io.quarkus.runtime.StartupEvent event) {
    // Touching the bean registers the gauges at start rather than at the first scheduled run.
  }

  @Scheduled(
      identity = "rollout-gauges",
      every = "${monitoring.queue-depth-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    try {
      show(records.list(SHOWN));
    } catch (RuntimeException e) {
      // The gauges keep their last values; readiness reports a ledger outage.
      LOG.debugf("Roll-out gauges not refreshed: %s", e.getMessage());
    }
  }

  /** Shows these roll-outs; a roll-out no longer among them drops out of the series. */
  void show(List<Rollout> rollouts) {
    List<MultiGauge.Row<?>> statuses = new ArrayList<>();
    List<MultiGauge.Row<?>> waves = new ArrayList<>();
    List<MultiGauge.Row<?>> orgs = new ArrayList<>();
    for (Rollout rollout : rollouts) {
      for (RolloutStatus s : RolloutStatus.values()) {
        statuses.add(
            MultiGauge.Row.of(
                Tags.of("rollout", rollout.id(), "status", s.name()),
                s == rollout.status() ? 1 : 0));
      }
      waves.add(MultiGauge.Row.of(Tags.of("rollout", rollout.id()), rollout.wave()));
      // Only an unfinished current wave's open syncs are read; the rest is in the record.
      for (RolloutProgress.WaveProgress p :
          RolloutProgress.of(rollout, jobId -> ledger.job(jobId).map(Job::state))) {
        Tags tags = Tags.of("rollout", rollout.id(), "wave", String.valueOf(p.wave()));
        orgs.add(MultiGauge.Row.of(tags.and("state", "total"), p.orgs()));
        orgs.add(MultiGauge.Row.of(tags.and("state", "done"), p.done()));
        orgs.add(MultiGauge.Row.of(tags.and("state", "failed"), p.failed()));
        orgs.add(MultiGauge.Row.of(tags.and("state", "running"), p.running()));
      }
    }
    status.register(statuses, true);
    wave.register(waves, true);
    waveOrgs.register(orgs, true);
  }
}
