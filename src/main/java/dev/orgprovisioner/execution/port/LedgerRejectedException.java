package dev.orgprovisioner.execution.port;

/**
 * The control-state store refused a call for a reason a retry cannot fix (Firestore's
 * INVALID_ARGUMENT, PERMISSION_DENIED, FAILED_PRECONDITION, …): the caller should give up on the
 * message or job with this reason instead of retrying.
 */
public class LedgerRejectedException extends RuntimeException {

  public LedgerRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
