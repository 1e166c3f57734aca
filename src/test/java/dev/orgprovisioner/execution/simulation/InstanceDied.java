package dev.orgprovisioner.execution.simulation;

/**
 * Thrown by every port of a killed instance: models its JVM dying. An {@code Error}, so the core's
 * handlers (which catch runtime exceptions) do not survive it and its frames unwind.
 */
final class InstanceDied extends Error {

  private final String instance;

  InstanceDied(String instance) {
    super(instance + " is dead", null, false, false);
    this.instance = instance;
  }

  String instance() {
    return instance;
  }
}
