package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.warehouse.bigquery.StubQuotas.Quota;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stub's quota enforcement, one test per published limit, over plain HTTP on a stepped clock:
 * each limit admits exactly its number of calls per window, then answers 403 rateLimitExceeded as
 * BigQuery does, and admits again once the (scaled) window has passed.
 */
class StubQuotasTest {

  private static final String API = "/bigquery/v2/projects/p";

  /** A hundredth of BigQuery's time: its 10 s windows last 100 ms here. */
  private static final double SCALE = 0.01;

  private final BigQueryStub stub = BigQueryStub.start();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private StubQuotas quotas;

  @BeforeEach
  void dataset() throws Exception {
    assertThat(
            call("POST", "/datasets", "{\"datasetReference\":{\"datasetId\":\"ds\"}}").statusCode())
        .isEqualTo(200);
    quotas = stub.enforceQuotas(new StubQuotas(StubQuotas.Limits.published(), SCALE, now::get));
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(stub.host() + API + path))
            .header("Content-Type", "application/json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void pass(Duration bigQueryTime) {
    now.addAndGet((long) (bigQueryTime.toNanos() * SCALE));
  }

  private HttpResponse<String> createTable(String name, boolean partitioned) throws Exception {
    String partitioning =
        partitioned ? ",\"timePartitioning\":{\"type\":\"DAY\",\"field\":\"d\"}" : "";
    return call(
        "POST",
        "/datasets/ds/tables",
        "{\"tableReference\":{\"projectId\":\"p\",\"datasetId\":\"ds\",\"tableId\":\""
            + name
            + "\"},\"schema\":{\"fields\":[{\"name\":\"d\",\"type\":\"DATE\"}]}"
            + partitioning
            + "}");
  }

  private HttpResponse<String> patchTable(String name, int n) throws Exception {
    return call("PATCH", "/datasets/ds/tables/" + name, "{\"description\":\"v" + n + "\"}");
  }

  /** The error document BigQuery answers for a rate limit, as its JSON API sends it. */
  private void assertRateLimited(HttpResponse<String> response, String messageStart)
      throws Exception {
    assertThat(response.statusCode()).isEqualTo(403);
    JsonNode error = json.readTree(response.body()).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(403);
    assertThat(error.path("status").asText()).isEqualTo("PERMISSION_DENIED");
    assertThat(error.path("message").asText()).startsWith(messageStart);
    JsonNode item = error.path("errors").path(0);
    assertThat(item.path("reason").asText()).isEqualTo("rateLimitExceeded");
    assertThat(item.path("domain").asText()).isEqualTo("usageLimits");
    assertThat(item.path("message").asText()).isEqualTo(error.path("message").asText());
  }

  @Test
  void concurrentRequests_beyondTheLimitAreRefused_untilOneIsAnswered() throws Exception {
    quotas =
        stub.enforceQuotas(
                new StubQuotas(
                    StubQuotas.Limits.published().withConcurrentRequests(1), SCALE, now::get))
            .answerAfter(Duration.ofMillis(50));
    CompletableFuture<HttpResponse<String>> slow =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(stub.host() + API + "/datasets/ds")).build(),
            HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(5)).until(() -> quotas.mostInFlight() == 1);

    HttpResponse<String> second = call("GET", "/datasets/ds", null);

    assertRateLimited(
        second,
        "Quota exceeded: Your user_method exceeded quota for concurrent api requests per user per"
            + " method.");
    now.addAndGet(Duration.ofMillis(50).toNanos());
    assertThat(slow.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    quotas.answerAfter(Duration.ZERO);
    assertThat(call("GET", "/datasets/ds", null).statusCode())
        .as("the answered request's place is free")
        .isEqualTo(200);
    assertThat(quotas.rejections()).containsEntry(Quota.CONCURRENT_REQUESTS, 1);
  }

  @Test
  void tableMetadataUpdates_fivePerTenSecondsPerTable() throws Exception {
    createTable("t", false);
    createTable("other", false);
    pass(Duration.ofSeconds(10));
    for (int i = 0; i < 5; i++) {
      assertThat(patchTable("t", i).statusCode()).isEqualTo(200);
    }

    HttpResponse<String> sixth = patchTable("t", 5);

    assertRateLimited(
        sixth, "Exceeded rate limits: too many table update operations for this table.");
    assertThat(patchTable("other", 0).statusCode()).as("another table").isEqualTo(200);
    assertThat(stub.table("p", "ds", "t").path("description").asText())
        .as("the refused update changed nothing")
        .isEqualTo("v4");
    pass(Duration.ofSeconds(10));
    assertThat(patchTable("t", 6).statusCode()).isEqualTo(200);
    assertThat(quotas.rejections()).containsEntry(Quota.TABLE_METADATA_UPDATES, 1);
  }

  @Test
  void partitionedTables_takeFiftyMetadataUpdatesPerTenSeconds() throws Exception {
    createTable("p_t", true);
    pass(Duration.ofSeconds(10));
    for (int i = 0; i < 50; i++) {
      assertThat(patchTable("p_t", i).statusCode()).isEqualTo(200);
    }

    assertRateLimited(patchTable("p_t", 50), "Exceeded rate limits: too many table update");
  }

  @Test
  void datasetMetadataUpdates_fivePerTenSecondsPerDataset() throws Exception {
    pass(Duration.ofSeconds(10));
    for (int i = 0; i < 5; i++) {
      assertThat(call("PATCH", "/datasets/ds", "{\"description\":\"v" + i + "\"}").statusCode())
          .isEqualTo(200);
    }

    HttpResponse<String> sixth = call("PATCH", "/datasets/ds", "{\"description\":\"v5\"}");

    assertRateLimited(sixth, "Exceeded rate limits: too many dataset metadata update operations");
    pass(Duration.ofSeconds(10));
    assertThat(call("PUT", "/datasets/ds", "{\"description\":\"v6\"}").statusCode()).isEqualTo(200);
    assertThat(quotas.rejections()).containsEntry(Quota.DATASET_METADATA_UPDATES, 1);
  }

  @Test
  void tablesInsert_tenPerSecondPerUser() throws Exception {
    for (int i = 0; i < 10; i++) {
      assertThat(createTable("t" + i, false).statusCode()).isEqualTo(200);
    }

    HttpResponse<String> eleventh = createTable("t10", false);

    assertRateLimited(eleventh, "Exceeded rate limits: too many tables.insert requests");
    assertThat(call("GET", "/datasets/ds/tables/t10", null).statusCode())
        .as("the refused insert created nothing")
        .isEqualTo(404);
    pass(Duration.ofSeconds(1));
    assertThat(createTable("t10", false).statusCode()).isEqualTo(200);
  }

  @Test
  void apiRequests_hundredPerSecondPerUserPerMethod() throws Exception {
    for (int i = 0; i < 100; i++) {
      assertThat(call("GET", "/datasets/ds", null).statusCode()).isEqualTo(200);
    }

    HttpResponse<String> over = call("GET", "/datasets/ds", null);

    assertRateLimited(
        over,
        "Exceeded rate limits: too many api requests per user per method for this user_method.");
    assertThat(call("GET", "/datasets/ds/tables", null).statusCode())
        .as("another method")
        .isEqualTo(200);
    pass(Duration.ofSeconds(1));
    assertThat(call("GET", "/datasets/ds", null).statusCode()).isEqualTo(200);
    assertThat(quotas.rejections()).containsEntry(Quota.REQUESTS_PER_METHOD, 1);
  }

  @Test
  void mutatingDml_twoRunPerTable_twentyQueue_andTheNextIsRefused() throws Exception {
    createTable("t", false);
    String merge =
        "{\"query\":\"MERGE `p.ds.t` T USING (SELECT 1 AS d) S ON FALSE"
            + " WHEN NOT MATCHED THEN INSERT (d) VALUES (S.d)\",\"useLegacySql\":false}";
    for (int i = 0; i < 22; i++) {
      call("POST", "/queries", merge);
    }
    assertThat(quotas.queuedDml("p.ds.t")).isEqualTo(20);

    HttpResponse<String> over = call("POST", "/queries", merge);

    assertRateLimited(over, "Exceeded rate limits: too many DML statements outstanding");
    assertThat(call("POST", "/queries", merge.replace("p.ds.t", "p.ds.other")).statusCode())
        .as("another table has a queue of its own")
        .isNotEqualTo(403);
    pass(Duration.ofSeconds(2));
    assertThat(quotas.queuedDml("p.ds.t")).as("two started, two places free").isEqualTo(18);
    assertThat(call("POST", "/queries", merge).statusCode()).isNotEqualTo(403);
    assertThat(quotas.rejections()).containsEntry(Quota.MUTATING_DML_QUEUE, 1);
  }

  @Test
  void insertDml_isNotMutatingDml_andIsNeverQueued() throws Exception {
    String insert =
        "{\"query\":\"INSERT INTO `p.ds.t` (d) VALUES (DATE '2026-01-01')\",\"useLegacySql\":false}";
    for (int i = 0; i < 30; i++) {
      call("POST", "/queries", insert);
    }

    assertThat(quotas.queuedDml("p.ds.t")).isZero();
    assertThat(quotas.rejections()).doesNotContainKey(Quota.MUTATING_DML_QUEUE);
  }

  @Test
  void onTheRealClock_aScaledWindowOpensAgainByItself() throws Exception {
    createTable("t", false);
    // A tenth of BigQuery's time: the table's 10 s window lasts one real second.
    stub.enforceQuotas(0.1);
    for (int i = 0; i < 5; i++) {
      assertThat(patchTable("t", i).statusCode()).isEqualTo(200);
    }
    assertThat(patchTable("t", 5).statusCode()).isEqualTo(403);

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> patchTable("t", 6).statusCode() == 200);
  }

  @Test
  void withoutEnforcement_nothingIsRefused() throws Exception {
    stub.enforceQuotas((StubQuotas) null);
    createTable("t", false);

    for (int i = 0; i < 20; i++) {
      assertThat(patchTable("t", i).statusCode()).isEqualTo(200);
    }
  }
}
