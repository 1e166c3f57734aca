package dev.orgprovisioner.ledger.memory;

import dev.orgprovisioner.ledger.RolloutRecordsContract;
import dev.orgprovisioner.rollout.port.RolloutRecords;

/** The roll-out records contract held in memory. */
class InMemoryRolloutsTest extends RolloutRecordsContract {

  @Override
  protected RolloutRecords newRecords() {
    return new InMemoryRollouts();
  }
}
