package dev.orgprovisioner.api;

import static dev.orgprovisioner.testing.AdminRequests.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.cli.OpsCli;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.testing.EmulatorsResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Roll-outs over REST on the running worker (emulators and DuckDB): read, previewed, started,
 * halted (from the ops CLI, over Pub/Sub), resumed and aborted.
 */
@QuarkusTest
@Tag("app")
@QuarkusTestResource(EmulatorsResource.class)
class RolloutResourceAppTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @Inject Catalog catalog;

  @ConfigProperty(name = "messaging.emulator-host")
  String pubsubHost;

  @ConfigProperty(name = "messaging.project-id")
  String project;

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  private static Response post(String path, Object body) {
    @SuppressWarnings("unchecked")
    byte[] bytes = MalformedCommands.json((Map<String, Object>) body);
    return admin().contentType(ContentType.JSON).body(bytes).post(path);
  }

  /** A start whose first wave is an empty canary: it bakes for a week right after it. */
  private Map<String, Object> start(String id, String version) {
    return Map.of(
        "rollout_id",
        id,
        "target_catalog_version",
        version,
        "waves",
        List.of(Map.of("orgs", List.of("nobody_here")), Map.of("share", 1)),
        "bake_seconds",
        604800,
        "max_concurrent_orgs",
        2);
  }

  private static String status(String id) {
    return admin().get("/api/v1/rollouts/" + id).path("status");
  }

  private static void awaitStatus(String id, String expected) {
    await().atMost(DEADLINE).until(() -> expected.equals(status(id)));
  }

  @Test
  void anUnknownRollout_is404_withItsCode() {
    admin()
        .get("/api/v1/rollouts/no-such-rollout")
        .then()
        .statusCode(404)
        .body("code", equalTo("ROLLOUT_NOT_FOUND"))
        .body("field", equalTo("id"));
    admin().get("/api/v1/rollouts?limit=0").then().statusCode(400).body("field", equalTo("limit"));
  }

  @Test
  void rollouts_needTheAdminCredential_andAreDescribedInTheOpenApiDocument() {
    RestAssured.given()
        .get("/api/v1/rollouts")
        .then()
        .statusCode(401)
        .body("code", equalTo("UNAUTHENTICATED"));
    RestAssured.given()
        .get("/q/openapi?format=json")
        .then()
        .statusCode(200)
        .body("paths.'/api/v1/rollouts/{id}'.get.summary", containsString("every wave's progress"))
        .body("paths.'/api/v1/rollouts'.post.summary", containsString("dry_run=true"))
        .body("paths.'/api/v1/rollouts/{id}/abort'.post.summary", containsString("Abort"));
  }

  @Test
  void dryRun_answersTheWavesCallsAndLeastTime_writesNothing_andMeetsTheStartsConflicts() {
    String id = unique("preview");
    String version = catalog.org().version();

    post("/api/v1/rollouts?dry_run=true", start(id, version))
        .then()
        .statusCode(200)
        .body("dry_run", equalTo(true))
        .body("waves.size()", equalTo(2))
        .body("waves[0].not_in_fleet", equalTo(List.of("nobody_here")))
        .body("minimum_formula", notNullValue())
        .body("bigquery_calls", notNullValue());
    admin().get("/api/v1/rollouts/" + id).then().statusCode(404);

    post("/api/v1/rollouts?dry_run=true", start(id, "999"))
        .then()
        .statusCode(409)
        .body("code", equalTo("ROLLOUT_VERSION_MISMATCH"))
        .body("field", equalTo("data.target_catalog_version"));
    post(
            "/api/v1/rollouts?dry_run=true",
            Map.of(
                "rollout_id", id,
                "target_catalog_version", version,
                "waves", List.of(Map.of("share", 0.5))))
        .then()
        .statusCode(400)
        .body("field", equalTo("data.waves[0].share"));
  }

  @Test
  void startHaltResumeAbort_eachQueuedAsItsCommand_andTheRolloutShowsEveryStep() {
    String id = unique("ops");
    post("/api/v1/rollouts", start(id, catalog.org().version()))
        .then()
        .statusCode(202)
        .body("job_id", notNullValue());
    try {
      awaitStatus(id, "BAKING");
      admin()
          .get("/api/v1/rollouts/" + id)
          .then()
          .body("waves[0].state", equalTo("DONE"))
          .body("waves[0].orgs", equalTo(0))
          .body("waves[1].state", equalTo("PENDING"))
          .body("bake_until", notNullValue());
      admin().get("/api/v1/rollouts").then().statusCode(200).body("rollout_id", hasItem(id));

      StringWriter err = new StringWriter();
      CommandLine cli = OpsCli.commandLine();
      cli.setOut(new PrintWriter(new StringWriter(), true));
      cli.setErr(new PrintWriter(err, true));
      int exit =
          cli.execute(
              "rollout",
              "halt",
              id,
              "--reason",
              "checking a dashboard",
              "--project",
              project,
              "--pubsub-emulator",
              pubsubHost);
      assertThat(exit).as(err.toString()).isZero();
      awaitStatus(id, "HALTED");
      admin()
          .get("/api/v1/rollouts/" + id)
          .then()
          .body("reasons[0]", equalTo("halted by an operator: checking a dashboard"));

      post("/api/v1/rollouts/" + id + "/resume", Map.of()).then().statusCode(202);
      awaitStatus(id, "BAKING");
      post("/api/v1/rollouts/" + id + "/halt", Map.of("rollout_id", "another-one"))
          .then()
          .statusCode(400)
          .body("field", equalTo("rollout_id"));
    } finally {
      post("/api/v1/rollouts/" + id + "/abort", Map.of("reason", "test over"))
          .then()
          .statusCode(202);
    }
    awaitStatus(id, "ABORTED");
  }
}
