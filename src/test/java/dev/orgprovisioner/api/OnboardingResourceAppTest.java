package dev.orgprovisioner.api;

import static dev.orgprovisioner.testing.AdminRequests.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.testing.CentralRowCounts;
import dev.orgprovisioner.testing.EmulatorsResource;
import dev.orgprovisioner.testing.EventSchemas;
import dev.orgprovisioner.testing.PubSubTestClient;
import dev.orgprovisioner.warehouse.Warehouse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Onboarding over HTTP: {@code POST /api/v1/orgs} queues the job a Pub/Sub command would, and
 * {@code POST /api/v1/orgs/onboard?dry_run=true} answers what it would do, writing nothing.
 */
@QuarkusTest
@Tag("app")
@QuarkusTestResource(EmulatorsResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnboardingResourceAppTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @Inject Ledger ledger;
  @Inject Warehouse warehouse;

  @ConfigProperty(name = "messaging.events-topic")
  String eventsTopic;

  private PubSubTestClient pubsub;
  private PubSubTestClient.Reader events;

  @BeforeAll
  void connect() {
    pubsub = PubSubTestClient.forSharedEmulator();
    events = pubsub.subscribe(eventsTopic);
  }

  @AfterAll
  void disconnect() throws Exception {
    pubsub.close();
  }

  private static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  private static Map<String, Object> data(String org, Map<String, Object> changes) {
    Map<String, Object> data = MalformedCommands.onboardData(org);
    data.putAll(changes);
    return data;
  }

  private static Response post(String path, Map<String, Object> data, String key) {
    var request = admin().contentType(ContentType.JSON).body(MalformedCommands.json(data));
    return (key == null ? request : request.header("Idempotency-Key", key)).post(path);
  }

  private static Response dryRun(Map<String, Object> data) {
    return post("/api/v1/orgs/onboard?dry_run=true", data, null);
  }

  /** What exists of an org: jobs in the ledger, its dataset, its rows in every central table. */
  private record State(int jobs, Optional<ObservedDataset> dataset, Map<String, Integer> rows) {}

  private State state(String org) {
    return new State(
        ledger.jobs(null, org, 100).size(),
        warehouse.freshSnapshot(org + "_local"),
        CentralRowCounts.of(warehouse, org));
  }

  /** Onboards {@code org} over HTTP and waits for its job to succeed. */
  private void onboarded(String org) {
    String jobId =
        post("/api/v1/orgs", data(org, Map.of()), unique("key"))
            .then()
            .statusCode(202)
            .extract()
            .path("job_id");
    await()
        .atMost(DEADLINE)
        .until(() -> "SUCCEEDED".equals(admin().get("/api/v1/jobs/" + jobId).path("state")));
  }

  @Test
  void dryRunOfAFreeSlug_answersWhatWouldBeCreated_andWritesNothing() {
    admin().post("/api/v1/central/bootstrap").then().statusCode(200);
    String org = unique("dry_free");
    State before = state(org);

    dryRun(data(org, Map.of("dataset_location", "EU")))
        .then()
        .statusCode(200)
        .body("dry_run", equalTo(true))
        .body("already_existed", equalTo(false))
        .body("orphan_dataset", equalTo(false))
        .body("dataset", equalTo(org + "_local"))
        .body("dataset_location", equalTo("EU"))
        .body("would_create.dataset", equalTo(true))
        .body("would_create.views", hasSize(4))
        .body("would_create.central_rows", hasItem("org_profiles:" + org))
        .body("plan.steps", hasItem("create dataset " + org + "_local"));

    assertThat(before.jobs()).isZero();
    assertThat(state(org)).isEqualTo(before);
    assertThat(state(org).dataset()).isEmpty();
    assertThat(state(org).rows()).allSatisfy((t, n) -> assertThat(n).as(t).isZero());
  }

  @Test
  void dryRunOfASlugOwnedByTheSameProfile_answersThatItWouldConverge_andChangesNothing() {
    String org = unique("dry_same");
    onboarded(org);
    State before = state(org);

    dryRun(data(org, Map.of()))
        .then()
        .statusCode(200)
        .body("already_existed", equalTo(true))
        .body("would_create.dataset", equalTo(false))
        .body("would_create.tables", hasSize(0))
        .body("status", equalTo("SYNCED"));

    assertThat(state(org)).isEqualTo(before);
  }

  @Test
  void dryRunOfASlugOwnedByAnotherCompany_isAConflictNamingTheSlug_andChangesNothing() {
    String org = unique("dry_taken");
    onboarded(org);
    State before = state(org);

    dryRun(data(org, Map.of("admin_email", "someone@globex.example")))
        .then()
        .statusCode(409)
        .body("code", equalTo("ORG_EXISTS"))
        .body("field", equalTo("data.org_slug"))
        .body("message", containsString(org));
    dryRun(data(org, Map.of("dataset_location", "US")))
        .then()
        .statusCode(409)
        .body("code", equalTo("DATASET_LOCATION_CONFLICT"))
        .body("field", equalTo("data.dataset_location"));

    assertThat(state(org)).isEqualTo(before);
  }

  @Test
  void invalidPayloads_areRejectedWithTheDecodersCodeAndField_byTheDryRunAndTheOnboarding() {
    admin().post("/api/v1/central/bootstrap").then().statusCode(200);
    String org = unique("dry_bad");
    for (String path : List.of("/api/v1/orgs/onboard?dry_run=true", "/api/v1/orgs")) {
      post(path, data(org, Map.of("admin_email", "not-an-address")), null)
          .then()
          .statusCode(400)
          .body("code", equalTo("INVALID_EMAIL"))
          .body("field", equalTo("data.admin_email"));
      Map<String, Object> missing = data(org, Map.of());
      missing.remove("subscription_plan");
      post(path, missing, null)
          .then()
          .statusCode(400)
          .body("code", equalTo("MISSING_FIELD"))
          .body("field", equalTo("data.subscription_plan"));
      admin()
          .contentType(ContentType.JSON)
          .body("{not json")
          .post(path)
          .then()
          .statusCode(400)
          .body("code", equalTo("PAYLOAD_NOT_JSON"))
          .body("field", equalTo("data"));
    }
    post("/api/v1/orgs", data(org, Map.of()), "has space")
        .then()
        .statusCode(400)
        .body("code", equalTo("INVALID_ATTRIBUTE"))
        .body("field", equalTo("Idempotency-Key"));

    assertThat(state(org).jobs()).isZero();
    assertThat(state(org).rows()).allSatisfy((t, n) -> assertThat(n).as(t).isZero());
  }

  @Test
  void httpOnboarding_queuesTheJobAPubSubCommandWould_endsInItsEvent_andAnswersTheSameKeyOnce() {
    String org = unique("http");
    String key = unique("signup");

    String jobId =
        post("/api/v1/orgs", data(org, Map.of()), key)
            .then()
            .statusCode(202)
            .body("job_id", notNullValue())
            .extract()
            .path("job_id");
    admin()
        .get("/api/v1/jobs/" + jobId)
        .then()
        .body("type", equalTo("org.onboard.requested"))
        .body("org_slug", equalTo(org))
        .body("priority", equalTo(1));

    await()
        .atMost(DEADLINE)
        .until(
            () ->
                events.where("idempotency-key", key).stream()
                    .anyMatch(e -> "org.onboarded".equals(e.attributes().get("ce-type"))));
    PubSubTestClient.Received event =
        events.where("idempotency-key", key).stream()
            .filter(e -> "org.onboarded".equals(e.attributes().get("ce-type")))
            .findFirst()
            .orElseThrow();
    assertThat(event.orderingKey()).isEqualTo(org);
    assertThat(EventSchemas.violations("org.onboarded", event.data())).isEmpty();
    assertThat(event.data()).contains("\"already_existed\":false").doesNotContain("dry_run");
    CentralRowCounts.assertOnboardedOnce(warehouse, org, false);

    // The same key and payload again: the finished job's answer, nothing run twice.
    post("/api/v1/orgs", data(org, Map.of()), key)
        .then()
        .statusCode(200)
        .body("job_id", equalTo(jobId))
        .body("event_id", equalTo(event.attributes().get("ce-id")));
    // The same key with another payload: a conflict, nothing queued.
    post("/api/v1/orgs", data(org, Map.of("company_name", "Other Name")), key)
        .then()
        .statusCode(409)
        .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"))
        .body("field", equalTo("Idempotency-Key"));
    assertThat(ledger.jobs(null, org, 10)).hasSize(1);
    CentralRowCounts.assertOnboardedOnce(warehouse, org, false);
  }
}
