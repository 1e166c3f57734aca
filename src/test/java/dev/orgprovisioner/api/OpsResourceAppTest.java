package dev.orgprovisioner.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.testing.DeadLetterFixtures;
import dev.orgprovisioner.testing.EmulatorsResource;
import dev.orgprovisioner.testing.FaultInjectingLedger;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.PubSubTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The admin API's jobs and DLQ endpoints: the same operations as the ops CLI, over REST. */
@QuarkusTest
@Tag("app")
@QuarkusTestResource(EmulatorsResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsResourceAppTest {

  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @Inject Ledger ledger;
  @Inject CommandDecoder decoder;
  @Inject EventFactory eventFactory;

  @ConfigProperty(name = "messaging.dlq-topic")
  String dlqTopic;

  private PubSubTestClient pubsub;

  @BeforeAll
  void connect() {
    pubsub = PubSubTestClient.forSharedEmulator();
  }

  @AfterAll
  void disconnect() throws Exception {
    pubsub.close();
  }

  private static RequestSpecification admin() {
    return given().header("X-Admin-Key", "test-admin-key");
  }

  private static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  private Job failedOnboarding(String org) {
    String ceId = unique("j");
    DecodeResult decoded =
        decoder.decode(
            MalformedCommands.onboardAttributes(ceId),
            MalformedCommands.json(MalformedCommands.onboardData(org)),
            org);
    return LedgerFixtures.failedAheadOfWorkers(
        ledger,
        ((DecodeResult.Accepted) decoded).envelope(),
        ErrorInfo.permanent("WAREHOUSE_PERMANENT", "injected"),
        at -> eventFactory.event("org.onboarding.failed", org, ceId, ceId, Map.of(), at));
  }

  @Test
  void jobsEndpoints_listAFailedJob_retryIt_andRefuseToRetryItAgainOnceSucceeded() {
    String org = unique("apijob");
    Job job = failedOnboarding(org);

    admin()
        .queryParam("state", "FAILED")
        .queryParam("org", org)
        .get("/api/v1/jobs")
        .then()
        .statusCode(200)
        .body("", hasSize(1))
        .body("[0].job_id", equalTo(job.id()))
        .body("[0].priority", equalTo(1))
        .body("[0].last_error.code", equalTo("WAREHOUSE_PERMANENT"));

    admin()
        .post("/api/v1/jobs/" + job.id() + "/retry")
        .then()
        .statusCode(202)
        .body("state", equalTo("QUEUED"))
        .body("attempts", equalTo(0));

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(ledger.job(job.id()).orElseThrow().state())
                    .isEqualTo(JobState.SUCCEEDED));
    admin()
        .post("/api/v1/jobs/" + job.id() + "/retry")
        .then()
        .statusCode(409)
        .body("code", equalTo("JOB_NOT_FAILED"));
    admin().post("/api/v1/jobs/no-such-job/retry").then().statusCode(404);
    admin()
        .queryParam("state", "DONE")
        .get("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("field", equalTo("state"));
  }

  @Test
  void dlqEndpoints_listWithoutConsuming_dryRun_thenReplayToSuccess_andTheDlqIsEmpty() {
    String org = unique("apidlq");
    String ceId = unique("d");
    String messageId = DeadLetterFixtures.exhaustedOnboard(pubsub, dlqTopic, org, ceId);

    for (int i = 0; i < 2; i++) {
      admin()
          .queryParam("org", org)
          .get("/api/v1/dlq")
          .then()
          .statusCode(200)
          .body("", hasSize(1))
          .body("[0].message_id", equalTo(messageId))
          .body("[0].reason", equalTo("DELIVERY_ATTEMPTS_EXHAUSTED"))
          .body("[0].attempts", equalTo(5));
    }
    admin()
        .queryParam("org", org)
        .queryParam("dry_run", true)
        .post("/api/v1/dlq/replay")
        .then()
        .statusCode(200)
        .body("dry_run", equalTo(true))
        .body("replayed", hasSize(1));

    admin()
        .queryParam("org", org)
        .post("/api/v1/dlq/replay")
        .then()
        .statusCode(200)
        .body("replayed", hasSize(1))
        .body("replayed[0].dead_letter.message_id", equalTo(messageId));

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(ledger.jobs(null, org, 10))
                    .extracting(Job::state)
                    .isEqualTo(List.of(JobState.SUCCEEDED)));
    // The dry run published nothing: the real replay was the only publication the intake saw.
    assertThat(FaultInjectingLedger.CLAIMS.get(ceId).get()).isEqualTo(1);
    admin().queryParam("org", org).get("/api/v1/dlq").then().statusCode(200).body("", empty());
  }
}
