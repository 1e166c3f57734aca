package dev.orgprovisioner.app;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.execution.WorkerPool;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.RowSpoolDrainer;
import dev.orgprovisioner.provisioning.SyncResult;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/**
 * Fails the start on an invalid catalog, bootstraps the central dataset when configured, and starts
 * the worker pool and the row spool's drainer.
 */
@Singleton
public class Startup {

  private static final Logger LOG = Logger.getLogger(Startup.class);

  // Right after the platform's own checks (warehouse kind, lease timing, topology), before the
  // other start-up observers, so the warehouse opens beside as much of the start as possible.
  void onStart(
      @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) StartupEvent event,
      Instance<Catalog> catalog,
      ProvisionerConfig config,
      Instance<ProvisioningService> provisioning,
      Instance<WorkerPool> workers,
      Instance<RowSpoolDrainer> drainer) {
    if (config.bootstrapOnStart()) {
      ProvisioningService service = provisioning.get();
      SyncResult result = service.bootstrap(false);
      LOG.infof(
          "Bootstrap of %s: %d step(s) applied; status now %s",
          service.centralDataset(), result.applied().size(), service.centralStatus().status());
    }
    // Asking for the pool starts it (and its sweep), so queued retries and expired leases do not
    // wait for traffic after a restart; the drainer writes rows spooled before a crash. Both need
    // the warehouse, whose first open (DuckDB's native library and files, about 0.3 s of CPU) then
    // runs beside the rest of the start (intake, HTTP socket) instead of before it. Readiness
    // still waits for it: its warehouse check asks the same ProvisioningService.
    Thread thread =
        new Thread(
            () -> {
              try {
                workers.get();
                drainer.get();
              } catch (RuntimeException e) {
                // As when it was built on the main thread: the worker does not run without them.
                LOG.error("Worker pool or row spool drainer could not start; stopping", e);
                Quarkus.asyncExit(1);
              }
            },
            "provisioner-start");
    thread.setDaemon(true);
    thread.start();
    // An invalid catalog fails the start here, on the main thread.
    catalog.get();
  }
}
