package dev.orgprovisioner.warehouse;

/** A warehouse failure, classified so callers know whether to retry. */
public class WarehouseException extends RuntimeException {

  /** What kind of failure this is. */
  public enum Kind {
    /** Rate limits, 5xx, timeouts: retry with backoff. */
    TRANSIENT,
    /** Invalid request or definition: retrying will not help. */
    PERMANENT,
    /** The object does not exist. */
    NOT_FOUND,
    /** The object exists but is not ours, or conflicts with the request. */
    CONFLICT
  }

  private final Kind kind;

  public WarehouseException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public WarehouseException(Kind kind, String message) {
    this(kind, message, null);
  }

  public Kind kind() {
    return kind;
  }

  public boolean isTransient() {
    return kind == Kind.TRANSIENT;
  }
}
