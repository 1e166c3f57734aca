package dev.orgprovisioner.api;

import static dev.orgprovisioner.testing.AdminRequests.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.testing.EmulatorsResource;
import dev.orgprovisioner.warehouse.Warehouse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Key rotation, plan change, offboarding and restore over REST, queued like their Pub/Sub commands
 * on the running worker (emulators and DuckDB).
 */
@QuarkusTest
@Tag("app")
@QuarkusTestResource(EmulatorsResource.class)
class LifecycleResourceAppTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @Inject Warehouse warehouse;

  private static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  @SuppressWarnings("unchecked")
  private static Response post(String path, Object body, String key) {
    byte[] bytes =
        body instanceof Map<?, ?> map
            ? MalformedCommands.json((Map<String, Object>) map)
            : String.valueOf(body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    var request = admin().contentType(ContentType.JSON).body(bytes);
    return (key == null ? request : request.header("Idempotency-Key", key)).post(path);
  }

  /** Queues a command and waits for its job to end; its final state. */
  private static String completed(Response queued) {
    String jobId = queued.then().statusCode(202).extract().path("job_id");
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                !admin()
                    .get("/api/v1/jobs/" + jobId)
                    .path("state")
                    .toString()
                    .matches("QUEUED|RUNNING"));
    return admin().get("/api/v1/jobs/" + jobId).path("state");
  }

  private String onboarded() {
    String org = unique("life");
    assertThat(completed(post("/api/v1/orgs", MalformedCommands.onboardData(org), null)))
        .isEqualTo("SUCCEEDED");
    return org;
  }

  @Test
  void offboardingAndRestore_overRest_deleteTheDatasetWhenDue_andBringItBack() {
    String org = onboarded();

    assertThat(
            completed(
                post(
                    "/api/v1/orgs/" + org + "/offboard",
                    Map.of("reason", "contract ended", "grace_days", 0),
                    null)))
        .isEqualTo("SUCCEEDED");
    await().atMost(DEADLINE).until(() -> warehouse.freshSnapshot(org + "_local").isEmpty());
    assertThat(completed(post("/api/v1/orgs/" + org + "/restore", "{}", null)))
        .isEqualTo("SUCCEEDED");
    assertThat(warehouse.freshSnapshot(org + "_local")).isPresent();
  }

  @Test
  void rotationAndPlanChange_areQueued_andTheSameKeyAnswersTheSameJob() {
    String org = onboarded();
    Map<String, Object> rotation = Map.of("api_key_sha256", "cd".repeat(32));

    String first =
        post("/api/v1/orgs/" + org + "/api-key/rotate", rotation, "rotate-" + org)
            .then()
            .statusCode(202)
            .extract()
            .path("job_id");
    await()
        .atMost(DEADLINE)
        .until(() -> "SUCCEEDED".equals(admin().get("/api/v1/jobs/" + first).path("state")));
    post("/api/v1/orgs/" + org + "/api-key/rotate", rotation, "rotate-" + org)
        .then()
        .statusCode(200)
        .body("job_id", equalTo(first))
        .body("event_id", notNullValue());
    post(
            "/api/v1/orgs/" + org + "/api-key/rotate",
            Map.of("api_key_sha256", "ef".repeat(32)),
            "rotate-" + org)
        .then()
        .statusCode(409)
        .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"))
        .body("field", equalTo("Idempotency-Key"));

    assertThat(
            completed(
                post(
                    "/api/v1/orgs/" + org + "/subscription-plan",
                    Map.of("subscription_plan", "SCALE"),
                    null)))
        .isEqualTo("SUCCEEDED");
  }

  @Test
  void invalidBodies_areRefusedWithCodeAndField_andNothingIsQueued() {
    post("/api/v1/orgs/acme_corp/api-key/rotate", Map.of("api_key_sha256", "not-a-hash"), null)
        .then()
        .statusCode(400)
        .body("field", equalTo("data.api_key_sha256"));
    post("/api/v1/orgs/acme_corp/offboard", Map.of("reason", "x", "org_slug", "globex"), null)
        .then()
        .statusCode(400)
        .body("field", equalTo("org_slug"));
    post("/api/v1/orgs/acme_corp/offboard", Map.of(), null)
        .then()
        .statusCode(400)
        .body("field", equalTo("data.reason"));
    post("/api/v1/orgs/acme_corp/subscription-plan", "[1]", null).then().statusCode(400);
    post("/api/v1/orgs/Not-A-Slug/restore", "{}", null)
        .then()
        .statusCode(400)
        .body("code", equalTo("INVALID_SLUG"));
  }
}
