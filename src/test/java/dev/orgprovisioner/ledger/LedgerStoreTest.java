package dev.orgprovisioner.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.execution.port.LedgerRejectedException;
import dev.orgprovisioner.execution.port.LedgerUnavailableException;
import io.grpc.Status;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How the ledger classifies a failed Firestore call: retry later, or give up with the reason. */
class LedgerStoreTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = Status.Code.class,
      names = {
        "UNAVAILABLE",
        "DEADLINE_EXCEEDED",
        "ABORTED",
        "RESOURCE_EXHAUSTED",
        "INTERNAL",
        "CANCELLED",
        "UNKNOWN"
      })
  void transientStatus_isUnavailable(Status.Code code) {
    RuntimeException classified =
        LedgerStore.classify("claim job", wrapped(code.toStatus().asRuntimeException()));

    assertThat(classified)
        .isInstanceOf(LedgerUnavailableException.class)
        .hasMessageStartingWith("claim job failed: " + code);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = Status.Code.class,
      names = {
        "INVALID_ARGUMENT",
        "PERMISSION_DENIED",
        "UNAUTHENTICATED",
        "FAILED_PRECONDITION",
        "NOT_FOUND",
        "ALREADY_EXISTS",
        "OUT_OF_RANGE",
        "UNIMPLEMENTED",
        "DATA_LOSS"
      })
  void permanentStatus_isRejected(Status.Code code) {
    RuntimeException classified =
        LedgerStore.classify(
            "store 1 event(s)", code.toStatus().withDescription("no").asRuntimeException());

    assertThat(classified)
        .isInstanceOf(LedgerRejectedException.class)
        .hasMessageStartingWith("store 1 event(s) failed: " + code);
    assertThat(classified.getCause()).isNotNull();
  }

  @Test
  void failureAlreadyClassifiedInsideATransaction_keepsItsClass() {
    LedgerRejectedException rejected = new LedgerRejectedException("bad", null);

    assertThat(LedgerStore.classify("finish job", rejected)).isSameAs(rejected);
  }

  @Test
  void failureWithoutAStatus_isTransientWhenTheClientFailed_andPermanentWhenOurCodeDid() {
    RuntimeException network =
        LedgerStore.classify("read job", new RuntimeException(new java.io.IOException("reset")));
    RuntimeException unreadable =
        LedgerStore.classify(
            "read job",
            new RuntimeException(new IllegalArgumentException("No enum constant BOGUS")));

    assertThat(network).isInstanceOf(LedgerUnavailableException.class);
    assertThat(unreadable)
        .isInstanceOf(LedgerRejectedException.class)
        .hasMessageContaining("No enum constant BOGUS");
  }

  /** A status buried under other exceptions, as futures and transactions wrap them. */
  private static Throwable wrapped(Throwable status) {
    return new RuntimeException("transaction failed", new ExecutionException(status));
  }
}
