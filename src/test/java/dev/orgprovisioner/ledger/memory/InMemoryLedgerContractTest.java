package dev.orgprovisioner.ledger.memory;

import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.ledger.LedgerContractTest;
import dev.orgprovisioner.ledger.LedgerSettings;

/** The ledger contract held by the in-memory ledger. */
class InMemoryLedgerContractTest extends LedgerContractTest {

  @Override
  protected Ledger newLedger(LedgerSettings settings) {
    return new InMemoryLedger(settings);
  }
}
