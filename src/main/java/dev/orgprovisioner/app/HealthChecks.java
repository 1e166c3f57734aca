package dev.orgprovisioner.app;

import dev.orgprovisioner.execution.WorkerPool;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.messaging.PubSubConnector;
import dev.orgprovisioner.provisioning.ProvisioningService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

/**
 * Probes for Cloud Run and load balancers. Liveness: the commands subscriber pulls and every worker
 * loop runs (a restart would help otherwise). Readiness: the control state (Firestore) and the
 * warehouse answer within {@code monitoring.health-timeout}.
 */
@ApplicationScoped
public class HealthChecks {

  /** The readiness check of the ledger: one small read, DOWN when it fails or hangs. */
  public static HealthCheck ledgerCheck(Ledger ledger, Duration timeout) {
    return new ProbeCheck(
        "ledger",
        timeout,
        () -> {
          ledger.report("health-probe");
          return Map.of();
        });
  }

  @Produces
  @Readiness
  HealthCheck ledger(Ledger ledger, MonitoringConfig config) {
    return ledgerCheck(ledger, config.healthTimeout());
  }

  @Produces
  @Readiness
  HealthCheck warehouse(ProvisioningService provisioning, MonitoringConfig config) {
    return new ProbeCheck(
        "warehouse",
        config.healthTimeout(),
        () ->
            Map.of(
                "central_dataset_exists",
                provisioning.warehouse().freshSnapshot(provisioning.centralDataset()).isPresent()));
  }

  @Produces
  @Liveness
  HealthCheck subscriber(@Connector(PubSubConnector.NAME) PubSubConnector connector) {
    return () -> {
      var stalled = connector.stalledChannels();
      return HealthCheckResponse.named("pubsub-subscribers")
          .status(connector.incomingChannels() > 0 && stalled.isEmpty())
          .withData("channels", connector.incomingChannels())
          .withData("stalled", String.join(",", stalled))
          .build();
    };
  }

  @Produces
  @Liveness
  HealthCheck workers(WorkerPool workers) {
    return () ->
        HealthCheckResponse.named("workers")
            .status(workers.isHealthy())
            .withData("load", workers.load())
            .build();
  }
}
