package dev.orgprovisioner.app;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.SyncResult;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Fails the start on an invalid catalog, and bootstraps the central dataset when configured. */
@Singleton
public class Startup {

  private static final Logger LOG = Logger.getLogger(Startup.class);

  void onStart(
      @Observes StartupEvent event,
      Catalog catalog,
      ProvisioningService provisioning,
      ProvisionerConfig config) {
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
