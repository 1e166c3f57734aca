package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestMethodsTest {

  private static final String P = "/bigquery/v2/projects/test-project";

  @ParameterizedTest
  @CsvSource({
    "GET, /datasets/acme_prod, datasets.get",
    "PATCH, /datasets/acme_prod, datasets.patch",
    "POST, /datasets, datasets.insert",
    "POST, /datasets/acme_prod:undelete, datasets.undelete",
    "GET, /datasets/acme_prod/tables, tables.list",
    "POST, /datasets/acme_prod/tables, tables.insert",
    "GET, /datasets/acme_prod/tables/invoices, tables.get",
    "PATCH, /datasets/acme_prod/tables/invoices, tables.patch",
    "PUT, /datasets/acme_prod/tables/invoices, tables.update",
    "GET, /datasets/acme_prod/tables/invoices/data, tabledata.list",
    "POST, /datasets/acme_prod/tables/invoices/insertAll, tabledata.insertAll",
    "POST, /jobs, jobs.insert",
    "GET, /jobs/job_1, jobs.get",
    "POST, /jobs/job_1/cancel, jobs.cancel",
    "GET, /queries/job_1, jobs.getQueryResults",
    "POST, /queries, jobs.query",
    "GET, /somewhere/else, other"
  })
  void namesTheRestMethod_asBigQueryCountsItsQuota(String http, String path, String method) {
    assertThat(RestMethods.of(http, P + path)).isEqualTo(method);
  }
}
