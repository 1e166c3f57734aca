package dev.orgprovisioner.execution.port;

/** The control-state store could not be reached or kept aborting; the caller should retry later. */
public class LedgerUnavailableException extends RuntimeException {

  public LedgerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
