package dev.orgprovisioner.execution;

import dev.orgprovisioner.execution.port.RowSpool;
import dev.orgprovisioner.execution.port.RowSpoolContractTest;

/** The in-memory row spool against the shared contract. */
class InMemoryRowSpoolTest extends RowSpoolContractTest {

  @Override
  protected RowSpool newSpool() {
    return new InMemoryRowSpool();
  }
}
