package dev.orgprovisioner.warehouse.bigquery;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The stub's bound on a dataset's access list: at most 2,500 authorized resources (views, datasets
 * and routines together), BigQuery's documented limit, refused with a 400 "invalid" naming it. The
 * wording of BigQuery's own message was not found; the status, reason and the number are its. A
 * test may lower the bound ({@link BigQueryStub#limitAuthorizedResources}) to go past it with fewer
 * orgs.
 */
final class StubAccessLimits {

  static final int MAX_AUTHORIZED_RESOURCES = 2_500;

  private StubAccessLimits() {}

  /** Refuses a dataset body whose access list holds more than {@code max} authorized resources. */
  static void check(String dataset, JsonNode body, int max) {
    JsonNode access = body.path("access");
    if (!access.isArray()) {
      return;
    }
    int authorized = 0;
    for (JsonNode entry : access) {
      if (entry.has("view") || entry.has("dataset") || entry.has("routine")) {
        authorized++;
      }
    }
    if (authorized > max) {
      throw new BigQueryStub.ApiError(
          400,
          "invalid",
          "The access list of dataset "
              + dataset
              + " has "
              + authorized
              + " authorized resources (views, datasets and routines); the maximum is "
              + max
              + ".");
    }
  }
}
