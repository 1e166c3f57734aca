package dev.orgprovisioner.warehouse;

/** The DML-slot contract in memory: one instance alone, and tests of several. */
class LocalDmlSlotsTest extends DmlSlotsContract {

  @Override
  protected DmlSlots newSlots() {
    return new LocalDmlSlots();
  }
}
