package dev.orgprovisioner.execution;

/**
 * A classified failure, as stored on a job and put in failure events.
 *
 * @param transientFailure true when a retry may succeed (rate limit, 5xx, timeout, contention)
 * @param code a machine-readable code, e.g. {@code WAREHOUSE_TRANSIENT}, {@code ORG_EXISTS}
 */
public record ErrorInfo(boolean transientFailure, String code, String message) {

  public static ErrorInfo permanent(String code, String message) {
    return new ErrorInfo(false, code, message);
  }

  public static ErrorInfo transientError(String code, String message) {
    return new ErrorInfo(true, code, message);
  }

  public String kind() {
    return transientFailure ? "transient" : "permanent";
  }
}
