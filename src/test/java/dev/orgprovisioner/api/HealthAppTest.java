package dev.orgprovisioner.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.orgprovisioner.testing.EmulatorsResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@QuarkusTest
@Tag("app")
@QuarkusTestResource(EmulatorsResource.class)
class HealthAppTest {

  @Test
  void readiness_isUpWhenFirestoreAndTheWarehouseAnswer() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItems("ledger", "warehouse"));
  }

  @Test
  void liveness_isUpWhileBothSubscribersPullAndTheWorkersRun() {
    given()
        .get("/q/health/live")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItems("pubsub-subscribers", "workers"))
        // commands, and the notifier's events subscription
        .body("checks.find { it.name == 'pubsub-subscribers' }.data.channels", equalTo(2));
  }
}
