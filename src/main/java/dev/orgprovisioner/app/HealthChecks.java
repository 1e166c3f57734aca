package dev.orgprovisioner.app;

import dev.orgprovisioner.execution.Ledger;
import dev.orgprovisioner.provisioning.ProvisioningService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness for Cloud Run and load balancers: the control state (Firestore) and the warehouse
 * answer. Messages are not pulled faster than they can be claimed, so an unready worker only holds
 * messages it cannot take in.
 */
@ApplicationScoped
public class HealthChecks {

  @Produces
  @Readiness
  HealthCheck ledger(Ledger ledger) {
    return () -> {
      try {
        ledger.report("health-probe");
        return HealthCheckResponse.up("ledger");
      } catch (RuntimeException e) {
        return HealthCheckResponse.named("ledger").down().withData("error", e.getMessage()).build();
      }
    };
  }

  @Produces
  @Readiness
  HealthCheck warehouse(ProvisioningService provisioning) {
    return () -> {
      try {
        boolean central =
            provisioning.warehouse().snapshot(provisioning.centralDataset()).isPresent();
        return HealthCheckResponse.named("warehouse")
            .up()
            .withData("central_dataset_exists", central)
            .build();
      } catch (RuntimeException e) {
        return HealthCheckResponse.named("warehouse")
            .down()
            .withData("error", e.getMessage())
            .build();
      }
    };
  }
}
