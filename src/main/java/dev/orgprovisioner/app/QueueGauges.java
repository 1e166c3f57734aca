package dev.orgprovisioner.app;

import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.WorkerPool;
import dev.orgprovisioner.execution.port.Ledger;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Provider;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Queue gauges: jobs waiting and running across all instances (a cached Firestore count query,
 * refreshed every {@code monitoring.queue-depth-interval}) and this instance's own load.
 */
@ApplicationScoped
public class QueueGauges {

  private static final Logger LOG = Logger.getLogger(QueueGauges.class);

  private final Ledger ledger;
  private final AtomicLong queued = new AtomicLong(-1);
  private final AtomicLong running = new AtomicLong(-1);
  // The pool is started off the main thread (Startup); the gauge asks for it when read.
  private final Provider<WorkerPool> workers;

  public QueueGauges(Ledger ledger, MeterRegistry registry, Provider<WorkerPool> workers) {
    this.ledger = ledger;
    this.workers = workers;
    Gauge.builder("provisioner.queue.depth", queued, AtomicLong::get)
        .description("QUEUED jobs across all instances (-1 until first counted)")
        .register(registry);
    Gauge.builder("provisioner.jobs.running", running, AtomicLong::get)
        .description("RUNNING jobs across all instances (-1 until first counted)")
        .register(registry);
    Gauge.builder("provisioner.worker.load", workers, pool -> pool.get().load())
        .description("Jobs queued or running on this instance")
        .register(registry);
  }

  void onStart(@Observes io.quarkus.runtime.StartupEvent event) {
    // Touching the bean registers the gauges at start rather than at the first scheduled run.
  }

  @Scheduled(
      identity = "queue-depth",
      every = "${monitoring.queue-depth-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    try {
      queued.set(ledger.countJobs(JobState.QUEUED));
      running.set(ledger.countJobs(JobState.RUNNING));
    } catch (RuntimeException e) {
      // The gauges keep their last value; readiness reports the outage.
      LOG.debugf("Queue depth not refreshed: %s", e.getMessage());
    }
  }
}
