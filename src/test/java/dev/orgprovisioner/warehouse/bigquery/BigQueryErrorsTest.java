package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The classification table: HTTP status and BigQuery reason to warehouse error kind. */
class BigQueryErrorsTest {

  private static Kind kind(int code, String reason) {
    return BigQueryErrors.kindOf(
        new BigQueryException(code, "m", new BigQueryError(reason, null, "m")));
  }

  @Test
  void statusAndReason_mapToTheDocumentedKinds() {
    assertThat(kind(403, "rateLimitExceeded")).isEqualTo(Kind.TRANSIENT);
    assertThat(kind(403, "quotaExceeded")).isEqualTo(Kind.TRANSIENT);
    assertThat(kind(403, "accessDenied")).isEqualTo(Kind.PERMANENT);
    assertThat(kind(429, "rateLimitExceeded")).isEqualTo(Kind.TRANSIENT);
    assertThat(kind(500, "internalError")).isEqualTo(Kind.TRANSIENT);
    assertThat(kind(503, "backendError")).isEqualTo(Kind.TRANSIENT);
    assertThat(kind(400, "invalid")).isEqualTo(Kind.PERMANENT);
    assertThat(kind(400, "invalidQuery")).isEqualTo(Kind.PERMANENT);
    assertThat(kind(400, "bytesBilledLimitExceeded")).isEqualTo(Kind.PERMANENT);
    assertThat(kind(404, "notFound")).isEqualTo(Kind.NOT_FOUND);
    assertThat(kind(409, "duplicate")).isEqualTo(Kind.CONFLICT);
  }

  @Test
  void jobErrorsWithoutHttpStatus_areClassifiedByReason() {
    assertThat(
            BigQueryErrors.kindOf(
                new BigQueryException(List.of(new BigQueryError("backendError", null, "x")))))
        .isEqualTo(Kind.TRANSIENT);
    assertThat(
            BigQueryErrors.kindOf(
                new BigQueryException(List.of(new BigQueryError("invalidQuery", null, "x")))))
        .isEqualTo(Kind.PERMANENT);
  }

  @Test
  void networkFailures_areTransient() {
    assertThat(BigQueryErrors.kindOf(new BigQueryException(new IOException("connection reset"))))
        .isEqualTo(Kind.TRANSIENT);
  }

  @Test
  void bytesBilledLimitExceeded_isPermanent_andNamesTheCapsConfigKey() {
    var e =
        BigQueryErrors.map(
            "select from central.org_audit_logs",
            new BigQueryException(
                400,
                "x",
                new BigQueryError(
                    "bytesBilledLimitExceeded",
                    null,
                    "Query exceeded limit for bytes billed: 1000. 10485760 or higher required.")));

    assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(e.getMessage())
        .startsWith(
            "select from central.org_audit_logs failed: HTTP 400 [bytesBilledLimitExceeded]: Query"
                + " exceeded limit for bytes billed: 1000. 10485760 or higher required.")
        .contains(BigQuerySettings.MAXIMUM_BYTES_BILLED_KEY);
  }

  @Test
  void theMessageCarriesBigQuerysOwnText() {
    var e =
        BigQueryErrors.map(
            "create table t",
            new BigQueryException(
                400, "x", new BigQueryError("invalid", null, "Field foo already exists")));

    assertThat(e.getMessage())
        .isEqualTo("create table t failed: HTTP 400 [invalid]: Field foo already exists");
  }
}
