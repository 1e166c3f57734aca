package dev.orgprovisioner.warehouse.bigquery;

import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.JobException;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Maps BigQuery client failures (HTTP code and error reason) to classified warehouse errors. */
final class BigQueryErrors {

  private static final Set<String> TRANSIENT_REASONS =
      Set.of(
          "ratelimitexceeded",
          "quotaexceeded",
          "backenderror",
          "internalerror",
          "jobratelimitexceeded",
          "tableunavailable");

  /**
   * Concurrency aborts: BigQuery reports them as invalidQuery (HTTP 400), yet the statement would
   * succeed if run again, e.g. MERGEs of two instances on one table ("Could not serialize access to
   * table … due to concurrent update").
   */
  private static final List<String> CONCURRENCY_ABORTS =
      List.of("could not serialize access", "concurrent update");

  /** A query would bill more than its cap: permanent, as running it again bills the same. */
  static final String BYTES_BILLED_LIMIT = "bytesBilledLimitExceeded";

  private BigQueryErrors() {}

  static boolean isConcurrencyAbort(String message) {
    if (message == null) {
      return false;
    }
    String m = message.toLowerCase(Locale.ROOT);
    return CONCURRENCY_ABORTS.stream().anyMatch(m::contains);
  }

  static WarehouseException timedOut(String what, java.time.Duration after, Throwable cause) {
    return new WarehouseException(
        Kind.TRANSIENT, what + " timed out after " + after.toMillis() + " ms", cause);
  }

  /** The classified form of a client exception; {@code what} says which operation failed. */
  static WarehouseException map(String what, BigQueryException e) {
    return new WarehouseException(
        kindOf(e), what + " failed: " + hint(e.getReason(), message(e)), e);
  }

  static WarehouseException map(String what, JobException e) {
    Kind kind = Kind.PERMANENT;
    String message = String.valueOf(e.getMessage());
    if (e.getErrors() != null && !e.getErrors().isEmpty()) {
      BigQueryError first = e.getErrors().get(0);
      kind = kindOf(0, first.getReason(), false);
      message = hint(first.getReason(), first.getMessage());
      if (isConcurrencyAbort(message)) {
        kind = Kind.TRANSIENT;
      }
    }
    return new WarehouseException(kind, what + " failed: " + message, e);
  }

  static WarehouseException interrupted(String what, InterruptedException e) {
    Thread.currentThread().interrupt();
    return new WarehouseException(Kind.TRANSIENT, what + " was interrupted", e);
  }

  static Kind kindOf(BigQueryException e) {
    boolean io = e.getCode() == 0 && noAnswer(e);
    BigQueryError error = e.getError();
    if (isConcurrencyAbort(e.getMessage())
        || (error != null && isConcurrencyAbort(error.getMessage()))) {
      return Kind.TRANSIENT;
    }
    return kindOf(e.getCode(), e.getReason(), io);
  }

  /** BigQuery refused the call for a rate quota (403 rateLimitExceeded). */
  static boolean isRateLimited(BigQueryException e) {
    return "rateLimitExceeded".equalsIgnoreCase(e.getReason());
  }

  static boolean isDuplicate(BigQueryException e) {
    return e.getCode() == 409 || "duplicate".equalsIgnoreCase(e.getReason());
  }

  static boolean isNotFound(BigQueryException e) {
    return e.getCode() == 404 || "notFound".equalsIgnoreCase(e.getReason());
  }

  private static Kind kindOf(int code, String reason, boolean ioFailure) {
    String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
    if (ioFailure || code == 429 || code >= 500 || TRANSIENT_REASONS.contains(r)) {
      return Kind.TRANSIENT;
    }
    if (code == 404 || r.equals("notfound")) {
      return Kind.NOT_FOUND;
    }
    if (code == 409 || r.equals("duplicate")) {
      return Kind.CONFLICT;
    }
    // 400 invalid/invalidQuery, 403 accessDenied, billingTierLimitExceeded, bytesBilledLimit…
    return Kind.PERMANENT;
  }

  /**
   * No HTTP answer at all: an I/O failure, or a read timeout (which the client reports as an
   * interruption of its call).
   */
  private static boolean noAnswer(Throwable e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof InterruptedException) {
        return true;
      }
    }
    return false;
  }

  /** Names the setting to change where the failure is the worker's own limit. */
  private static String hint(String reason, String message) {
    if (BYTES_BILLED_LIMIT.equalsIgnoreCase(reason)) {
      return message
          + " (the cap on every query is "
          + BigQuerySettings.MAXIMUM_BYTES_BILLED_KEY
          + "; raise it only if the statement must read that much)";
    }
    return message;
  }

  private static String message(BigQueryException e) {
    BigQueryError error = e.getError();
    String reason = e.getReason() == null ? "" : " [" + e.getReason() + "]";
    String message =
        error != null && error.getMessage() != null ? error.getMessage() : e.getMessage();
    return (e.getCode() > 0 ? "HTTP " + e.getCode() + reason + ": " : reason.strip() + " ")
        + message;
  }
}
