package dev.orgprovisioner.emulator;

/** Signals that a local emulator could not be found, started or stopped. */
public final class EmulatorException extends RuntimeException {

  private final boolean portInUse;

  EmulatorException(String message) {
    this(message, false, null);
  }

  EmulatorException(String message, Throwable cause) {
    this(message, false, cause);
  }

  EmulatorException(String message, boolean portInUse, Throwable cause) {
    super(message, cause);
    this.portInUse = portInUse;
  }

  /** True when the emulator exited because its port was already taken. */
  boolean portInUse() {
    return portInUse;
  }
}
