package dev.orgprovisioner.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.warehouse.bigquery.BigQueryStub;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BigQueryApiMethodsTest {

  private static BigQueryStub.Request request(String method, String path) {
    return new BigQueryStub.Request(method, "/bigquery/v2" + path, Map.of(), null, false);
  }

  @Test
  void requestsAreNamedByTheirApiMethod() {
    assertThat(BigQueryApiMethods.name(request("POST", "/projects/p/datasets")))
        .isEqualTo("datasets.insert");
    assertThat(BigQueryApiMethods.name(request("GET", "/projects/p/datasets/d")))
        .isEqualTo("datasets.get");
    assertThat(BigQueryApiMethods.name(request("GET", "/projects/p/datasets/d/tables")))
        .isEqualTo("tables.list");
    assertThat(BigQueryApiMethods.name(request("PATCH", "/projects/p/datasets/d/tables/t")))
        .isEqualTo("tables.patch");
    assertThat(BigQueryApiMethods.name(request("GET", "/projects/p/datasets/d/tables/t/data")))
        .isEqualTo("tabledata.list");
    assertThat(BigQueryApiMethods.name(request("POST", "/projects/p/jobs")))
        .isEqualTo("jobs.insert");
    assertThat(BigQueryApiMethods.name(request("GET", "/projects/p/queries/j")))
        .isEqualTo("jobs.getQueryResults");
  }

  @Test
  void countsRequestsPerMethod() {
    assertThat(
            BigQueryApiMethods.count(
                List.of(
                    request("GET", "/projects/p/jobs/a"),
                    request("GET", "/projects/p/jobs/b"),
                    request("POST", "/projects/p/jobs"))))
        .containsExactly(Map.entry("jobs.get", 2L), Map.entry("jobs.insert", 1L));
  }
}
