package dev.orgprovisioner.app;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.execution.port.RowSpool;
import dev.orgprovisioner.ledger.FirestoreRowSpool;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.RowSpoolDrainer;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the durable row spool (Firestore) and its drainer into the warehouse. */
@Singleton
public class SpoolProducers {

  @Produces
  @Singleton
  RowSpool rowSpool(Firestore firestore, LedgerConfig ledger, Clock clock) {
    return new FirestoreRowSpool(firestore, ledger.collectionPrefix(), ledger.callTimeout(), clock);
  }

  @Produces
  @Singleton
  RowSpoolDrainer drainer(
      RowSpool spool,
      ProvisioningService provisioning,
      Metrics metrics,
      Clock clock,
      AuditConfig config) {
    return new RowSpoolDrainer(
            spool,
            provisioning.warehouse(),
            metrics,
            clock,
            new RowSpoolDrainer.Settings(
                config.drainBatchSize(), config.drainInterval(), config.parkedRetryInterval()))
        .start();
  }

  void closeDrainer(@Disposes RowSpoolDrainer drainer) {
    drainer.close();
  }
}
