package dev.orgprovisioner.app;

import dev.orgprovisioner.execution.WorkerPool;
import dev.orgprovisioner.messaging.PubSubConnector;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.jboss.logging.Logger;

/**
 * Graceful shutdown on SIGTERM, in parallel so it fits Cloud Run's 10 s: the Pub/Sub intake stops
 * pulling and nacks what it had not started (bounded by the channel's shutdown-timeout), while the
 * worker pool lets running jobs finish within {@code execution.shutdown-grace} and hands back the
 * leases of the rest.
 */
@Singleton
public class GracefulShutdown {

  private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

  void onStop(
      @Observes ShutdownEvent event,
      @Connector(PubSubConnector.NAME) PubSubConnector connector,
      WorkerPool workers) {
    long start = System.nanoTime();
    LOG.info("Shutting down: intake stops pulling, running jobs get their grace period");
    CompletableFuture<Void> intake =
        CompletableFuture.runAsync(connector::stopIncoming, GracefulShutdown::onNewThread);
    CompletableFuture<Void> pool =
        CompletableFuture.runAsync(workers::close, GracefulShutdown::onNewThread);
    try {
      CompletableFuture.allOf(intake, pool).join();
      // Publishers last: jobs that finished within the grace period publish their events.
      connector.close();
    } catch (RuntimeException e) {
      LOG.warn("Graceful shutdown did not complete cleanly", e);
    }
    LOG.infof(
        "Intake drained and worker pool stopped in %d ms",
        Duration.ofNanos(System.nanoTime() - start).toMillis());
  }

  private static void onNewThread(Runnable task) {
    Thread thread = new Thread(task, "provisioner-shutdown");
    thread.setDaemon(true);
    thread.start();
  }
}
