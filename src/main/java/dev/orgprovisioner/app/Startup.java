package dev.orgprovisioner.app;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.execution.WorkerPool;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.SyncResult;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Fails the start on an invalid catalog, bootstraps the central dataset when configured, and starts
 * the worker pool.
 */
@Singleton
public class Startup {

  private static final Logger LOG = Logger.getLogger(Startup.class);

  void onStart(
      @Observes StartupEvent event,
      Catalog catalog,
      ProvisioningService provisioning,
      ProvisionerConfig config,
      WorkerPool workers) {
    // Asking for the pool starts it (and its sweep): without this it started only with the first
    // command message, so after a restart queued retries and expired leases waited for traffic.
    if (config.bootstrapOnStart()) {
      SyncResult result = provisioning.bootstrap(false);
      LOG.infof(
          "Bootstrap of %s: %d step(s) applied; status now %s",
          provisioning.centralDataset(),
          result.applied().size(),
          provisioning.centralStatus().status());
    }
  }
}
