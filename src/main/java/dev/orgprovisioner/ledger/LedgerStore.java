package dev.orgprovisioner.ledger;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.ApiException;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreException;
import com.google.cloud.firestore.Transaction;
import com.google.cloud.firestore.TransactionOptions;
import dev.orgprovisioner.execution.port.LedgerRejectedException;
import dev.orgprovisioner.execution.port.LedgerUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The ledger's Firestore collections and its two ways to call them — a single call or a transaction
 * — each with a deadline and with failures classified as transient or permanent.
 */
public final class LedgerStore {

  /** Status codes a retry may get past; every other code is the ledger refusing for good. */
  static final Set<Status.Code> TRANSIENT =
      Set.of(
          Status.Code.UNAVAILABLE,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.ABORTED,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.INTERNAL,
          Status.Code.CANCELLED,
          Status.Code.UNKNOWN);

  final Firestore db;
  final LedgerSettings settings;
  final CollectionReference keys;
  final CollectionReference jobs;
  final CollectionReference locks;
  final CollectionReference outbox;
  final CollectionReference reports;
  final CollectionReference rollouts;
  final CollectionReference quotas;

  public LedgerStore(Firestore db, LedgerSettings settings) {
    this.db = db;
    this.settings = settings;
    String prefix = settings.collectionPrefix();
    this.keys = db.collection(prefix + "idempotency_keys");
    this.jobs = db.collection(prefix + "jobs");
    this.locks = db.collection(prefix + "locks");
    this.outbox = db.collection(prefix + "outbox");
    this.reports = db.collection(prefix + "reports");
    this.rollouts = db.collection(prefix + "rollouts");
    this.quotas = db.collection(prefix + "quota_windows");
  }

  /** Runs {@code body} as one transaction, retried on contention, within the call timeout. */
  <T> T transaction(String what, Transaction.Function<T> body) {
    TransactionOptions options =
        TransactionOptions.createReadWriteOptionsBuilder()
            .setNumberOfAttempts(settings.transactionAttempts())
            .build();
    return call(what, db.runTransaction(body, options));
  }

  /** Waits for one Firestore call within the call timeout. */
  <T> T call(String what, ApiFuture<T> future) {
    return await(what, future, settings.callTimeout());
  }

  /**
   * Waits for one Firestore call within {@code timeout}; a failure comes out classified (see {@link
   * #classify}). Every Firestore adapter of the ledger waits through here.
   */
  static <T> T await(String what, ApiFuture<T> future, java.time.Duration timeout) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerUnavailableException(what + " interrupted", e);
    } catch (ExecutionException e) {
      throw classify(what, e.getCause());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new LedgerUnavailableException(
          what + " timed out after " + timeout.toMillis() + " ms", e);
    }
  }

  /** Transient (retry later) or permanent (give up with this reason), from the status code. */
  static RuntimeException classify(String what, Throwable failure) {
    Status.Code code = codeOf(failure);
    String message = what + " failed: " + (code == null ? "" : code + " ") + failure.getMessage();
    if (failure instanceof LedgerUnavailableException
        || failure instanceof LedgerRejectedException) {
      return (RuntimeException) failure;
    }
    boolean retryable = code == null ? !isDefect(failure) : TRANSIENT.contains(code);
    return retryable
        ? new LedgerUnavailableException(message, failure)
        : new LedgerRejectedException(message, failure);
  }

  /**
   * A failure without a status that a retry cannot fix: a defect in our own code (a document it
   * cannot read, say) rather than a network or client problem, so it must not loop forever.
   */
  private static boolean isDefect(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException
          || t instanceof NullPointerException
          || t instanceof ClassCastException
          || t instanceof java.util.NoSuchElementException) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code failure} says a document to be created exists already. */
  static boolean alreadyExists(Throwable failure) {
    return codeOf(failure) == Status.Code.ALREADY_EXISTS;
  }

  /** Whether {@code failure} says the document it addressed does not exist. */
  static boolean notFound(Throwable failure) {
    return codeOf(failure) == Status.Code.NOT_FOUND;
  }

  private static Status.Code codeOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApiException api) {
        return Status.Code.valueOf(api.getStatusCode().getCode().name());
      }
      if (t instanceof FirestoreException fe && fe.getStatus() != null) {
        return fe.getStatus().getCode();
      }
      if (t instanceof StatusRuntimeException sre) {
        return sre.getStatus().getCode();
      }
    }
    return null;
  }
}
