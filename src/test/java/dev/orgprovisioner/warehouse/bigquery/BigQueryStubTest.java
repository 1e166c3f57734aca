package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stub's own behaviour: gzip bodies, method override, query jobs, error documents. */
class BigQueryStubTest {

  private final BigQueryStub stub = BigQueryStub.start();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void stop() {
    stub.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] gzip(String s) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  @Test
  void gzipBodies_andMethodOverride_areUnderstood() throws Exception {
    String base = stub.host() + "/bigquery/v2/projects/p/datasets";
    HttpResponse<String> created =
        send(
            HttpRequest.newBuilder(URI.create(base))
                .header("Content-Encoding", "gzip")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        gzip(
                            "{\"datasetReference\":{\"datasetId\":\"d1\"},\"location\":\"EU\"}"))));
    HttpResponse<String> patched =
        send(
            HttpRequest.newBuilder(URI.create(base + "/d1"))
                .header("X-HTTP-Method-Override", "PATCH")
                .POST(HttpRequest.BodyPublishers.ofString("{\"labels\":{\"a\":\"b\"}}")));

    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(patched.statusCode()).isEqualTo(200);
    assertThat(json.readTree(patched.body()).path("labels").path("a").asText()).isEqualTo("b");
    assertThat(stub.requests())
        .extracting(r -> r.method() + " " + r.gzipped())
        .containsExactly("POST true", "PATCH false");
    assertThat(stub.requests().get(0).body().path("location").asText()).isEqualTo("EU");
  }

  @Test
  void jobsInsert_jobsGet_andGetQueryResults_serveAQueryJob() throws Exception {
    stub.putDataset("p", "d", "EU", java.util.Map.of());
    BigQuery client =
        BigQueryOptions.newBuilder()
            .setProjectId("p")
            .setHost(stub.host())
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService();
    client.create(
        TableInfo.of(
            TableId.of("p", "d", "t"),
            StandardTableDefinition.of(Schema.of(Field.of("name", StandardSQLTypeName.STRING)))));
    stub.pageRows(1);
    String insert = "INSERT INTO `p.d.t` (`name`) VALUES (@a), (@b)";
    client
        .create(
            JobInfo.of(
                JobId.of("job_insert"),
                QueryJobConfiguration.newBuilder(insert)
                    .addNamedParameter("a", QueryParameterValue.string("x"))
                    .addNamedParameter("b", QueryParameterValue.string("y"))
                    .build()))
        .waitFor();

    Job select =
        client.create(
            JobInfo.of(
                JobId.of("job_select"),
                QueryJobConfiguration.of("SELECT * FROM `p.d.t` LIMIT 10")));
    List<String> names = new ArrayList<>();
    select.getQueryResults().iterateAll().forEach(r -> names.add(r.get("name").getStringValue()));

    assertThat(names).containsExactly("x", "y");
    assertThat(stub.requests("POST", ".*/projects/p/jobs")).hasSize(2);
    assertThat(stub.requests("GET", ".*/projects/p/queries/job_select")).isNotEmpty();
    assertThat(stub.requests("GET", ".*/tables/job_select/data")).isNotEmpty();
  }

  @Test
  void tablesGet_reportsTheDeclaredSize_andQueryJobsTheBytesTheyRead() throws Exception {
    stub.putDataset("p", "d", "EU", java.util.Map.of());
    BigQuery client =
        BigQueryOptions.newBuilder()
            .setProjectId("p")
            .setHost(stub.host())
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService();
    client.create(
        TableInfo.of(
            TableId.of("p", "d", "t"),
            StandardTableDefinition.of(
                Schema.of(
                    Field.of("name", StandardSQLTypeName.STRING),
                    Field.of("n", StandardSQLTypeName.INT64)))));
    stub.declareTableSize("p", "d", "t", 1_000_000, 10);

    var table = client.getTable(TableId.of("p", "d", "t"));
    var job =
        client
            .create(JobInfo.of(QueryJobConfiguration.of("SELECT * FROM `p.d.t` LIMIT 1")))
            .waitFor();

    long rowBytes = 2 + StubScanCosts.MEAN_STRING_BYTES + 8;
    assertThat(table.getNumRows()).isEqualTo(java.math.BigInteger.valueOf(1_000_000));
    assertThat(table.getNumBytes()).isEqualTo(1_000_000 * rowBytes);
    var stats = (com.google.cloud.bigquery.JobStatistics.QueryStatistics) job.getStatistics();
    assertThat(stats.getTotalBytesProcessed()).isEqualTo(1_000_000 * rowBytes);
    assertThat(stats.getTotalBytesBilled()).isEqualTo(1_000_000 * rowBytes);
  }

  @Test
  void aQueryJobWithALabelBreakingBigQuerysRules_isRefused() throws Exception {
    String jobs = stub.host() + "/bigquery/v2/projects/p/jobs";
    String body =
        "{\"configuration\":{\"labels\":{\"org\":\"%s\"},\"jobTimeoutMs\":\"1000\","
            + "\"query\":{\"query\":\"SELECT * FROM `p.d.t` LIMIT 1\"}}}";

    HttpResponse<String> refused =
        send(
            HttpRequest.newBuilder(URI.create(jobs))
                .POST(HttpRequest.BodyPublishers.ofString(String.format(body, "Acme Inc"))));

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(json.readTree(refused.body()).path("error").path("message").asText())
        .contains("Invalid label: org=Acme Inc");
  }

  @Test
  void errors_useBigQuerysErrorDocument() throws Exception {
    String base = stub.host() + "/bigquery/v2/projects/p/datasets/missing";

    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base)).GET());

    assertThat(r.statusCode()).isEqualTo(404);
    var error = json.readTree(r.body()).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(404);
    assertThat(error.path("errors").get(0).path("reason").asText()).isEqualTo("notFound");
    assertThat(error.path("message").asText()).isEqualTo("Not found: Dataset p:missing");
  }
}
