package dev.orgprovisioner.warehouse.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orgprovisioner.warehouse.bigquery.BigQueryStub.ApiError;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What BigQuery refuses in a query job's settings, checked by the stub: labels breaking BigQuery's
 * label rules and a job timeout that is not a positive number of milliseconds.
 */
final class StubJobChecks {

  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
  private static final Pattern VALUE = Pattern.compile("[a-z0-9_-]{0,63}");
  private static final int MAX_LABELS = 64;

  private StubJobChecks() {}

  /** jobs.query's body, or jobs.insert's {@code configuration}: labels and jobTimeoutMs. */
  static void check(JsonNode settings) {
    JsonNode labels = settings.path("labels");
    if (labels.size() > MAX_LABELS) {
      throw new ApiError(400, "invalid", "Too many labels: " + labels.size());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!KEY.matcher(e.getKey()).matches() || !VALUE.matcher(e.getValue().asText()).matches()) {
        throw new ApiError(
            400,
            "invalid",
            "Invalid label: " + e.getKey() + "=" + e.getValue().asText() + " (label rules)");
      }
    }
    JsonNode timeout = settings.path("jobTimeoutMs");
    if (!timeout.isMissingNode() && !(timeout.asText().matches("\\d+") && timeout.asLong() > 0)) {
      throw new ApiError(400, "invalid", "Invalid jobTimeoutMs: " + timeout.asText());
    }
  }
}
