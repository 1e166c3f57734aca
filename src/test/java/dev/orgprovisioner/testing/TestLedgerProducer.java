package dev.orgprovisioner.testing;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.app.ExecutionProducers;
import dev.orgprovisioner.app.LedgerConfig;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.ledger.FirestoreLedger;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** In {@code @QuarkusTest}s the ledger is the real Firestore one wrapped for fault injection. */
@Singleton
public class TestLedgerProducer {

  @Produces
  @Singleton
  @Alternative
  @Priority(1)
  Ledger ledger(Firestore firestore, LedgerConfig config) {
    return new FaultInjectingLedger(
        new FirestoreLedger(firestore, ExecutionProducers.ledgerSettings(config)));
  }
}
