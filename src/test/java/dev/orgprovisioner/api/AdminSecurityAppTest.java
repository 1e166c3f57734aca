package dev.orgprovisioner.api;

import static dev.orgprovisioner.testing.AdminRequests.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import dev.orgprovisioner.testing.EmulatorsResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The admin API needs the admin key; health, metrics and the OpenAPI document stay open. */
@QuarkusTest
@Tag("app")
@QuarkusTestResource(EmulatorsResource.class)
class AdminSecurityAppTest {

  @Test
  void withoutCredential_everyAdminCallIs401() {
    given()
        .get("/api/v1/central/status")
        .then()
        .statusCode(401)
        .body("code", equalTo("UNAUTHENTICATED"))
        .body("field", equalTo("X-Admin-Key"));
    given().post("/api/v1/orgs/some_org/sync").then().statusCode(401);
    given().get("/api/v1/drift/latest").then().statusCode(401);
    // Even paths that do not exist: nothing about the API is told to an anonymous caller.
    given().get("/api/v1/no/such/thing").then().statusCode(401);
  }

  @Test
  void wrongKey_is403AndTheKeyIsNotEchoed() {
    given()
        .header("X-Admin-Key", "not-the-key")
        .get("/api/v1/central/status")
        .then()
        .statusCode(403)
        .body("code", equalTo("FORBIDDEN"))
        .body(not(containsString("not-the-key")));
    given().header("X-Admin-Key", "").get("/api/v1/jobs/x").then().statusCode(403);
  }

  @Test
  void rightKey_is200() {
    admin().get("/api/v1/orgs/nobody_here/status").then().statusCode(200);
    admin().get("/api/v1/jobs/no-such-job").then().statusCode(404);
  }

  @Test
  void iapHeader_isRefusedWhenIapIsNotEnabled() {
    given()
        .header("X-Goog-IAP-JWT-Assertion", "a.b.c")
        .get("/api/v1/central/status")
        .then()
        .statusCode(401);
  }

  @Test
  void healthAndMetrics_stayOpen() {
    given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    given().get("/q/health/ready").then().statusCode(200);
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("provisioner_messages_total"));
  }

  @Test
  void openApiDocument_describesTheOperationsAndTheAdminKey() {
    given()
        .accept("application/json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("components.securitySchemes.admin-key.name", equalTo("X-Admin-Key"))
        .body("components.securitySchemes.admin-key.in", equalTo("header"))
        .body("paths.'/api/v1/orgs/{org}/sync'.post.summary", containsString("Queue a sync"))
        .body("paths.'/api/v1/orgs/{org}/sync'.post.parameters.name", hasItems("dry_run", "views"))
        .body("paths.'/api/v1/orgs'.post.summary", containsString("Onboard an org"))
        .body("paths.'/api/v1/orgs/onboard'.post.summary", containsString("Validate an onboarding"))
        .body(
            "paths.'/api/v1/orgs/onboard'.post.parameters.name",
            hasItems("dry_run", "Idempotency-Key"))
        .body("paths.keySet()", hasItems("/api/v1/central/status", "/api/v1/jobs/{id}"));
  }
}
