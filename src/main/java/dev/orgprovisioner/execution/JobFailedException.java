package dev.orgprovisioner.execution;

/**
 * Thrown by a job runner for a failure it has classified: the job ends (permanent) or is retried
 * (transient), and the failure event carries {@code details} (e.g. what exists and what not).
 */
public class JobFailedException extends RuntimeException {

  private final ErrorInfo error;
  private final transient Object details;

  public JobFailedException(ErrorInfo error, Object details, Throwable cause) {
    super(error.code() + ": " + error.message(), cause);
    this.error = error;
    this.details = details;
  }

  public ErrorInfo error() {
    return error;
  }

  public Object details() {
    return details;
  }
}
