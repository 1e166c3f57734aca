package dev.orgprovisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.testing.EmulatorsResource;
import dev.orgprovisioner.testing.PubSubTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The scheduled drift check through Pub/Sub: one check per slot, however many replicas fire. */
@QuarkusTest
@Tag("app")
@QuarkusTestResource(EmulatorsResource.class)
class DriftEndToEndAppTest {

  @Inject DriftScheduler scheduler;
  @Inject Ledger ledger;

  @ConfigProperty(name = "messaging.events-topic")
  String eventsTopic;

  @Test
  void twoReplicasFiringTheSameSlot_runOneCheckAndPublishOneSummary() throws Exception {
    try (PubSubTestClient pubsub = PubSubTestClient.forSharedEmulator()) {
      PubSubTestClient.Reader events = pubsub.subscribe(eventsTopic);
      Instant slot =
          Instant.parse("2031-01-0" + (1 + (int) (System.nanoTime() % 9)) + "T03:00:00Z");

      String key = scheduler.publish(slot);
      scheduler.publish(slot.plusSeconds(5));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  events.where("idempotency-key", key).stream()
                      .anyMatch(
                          e -> "drift.check.completed".equals(e.attributes().get("ce-type"))));
      List<Job> checks =
          ledger.jobs(null, null, 1000).stream()
              .filter(j -> j.type() == CommandType.DRIFT_CHECK && key.equals(j.idempotencyKey()))
              .toList();
      assertThat(checks).hasSize(1);
      assertThat(events.where("idempotency-key", key))
          .filteredOn(e -> "drift.check.completed".equals(e.attributes().get("ce-type")))
          .extracting(e -> e.attributes().get("ce-id"))
          .hasSizeGreaterThanOrEqualTo(1)
          .containsOnly(
              events.where("idempotency-key", key).stream()
                  .filter(e -> "drift.check.completed".equals(e.attributes().get("ce-type")))
                  .findFirst()
                  .orElseThrow()
                  .attributes()
                  .get("ce-id"));
      dev.orgprovisioner.testing.AdminRequests.admin()
          .get("/api/v1/drift/latest")
          .then()
          .statusCode(200)
          .body("check_id", org.hamcrest.Matchers.equalTo(checks.get(0).id()));
    }
  }
}
