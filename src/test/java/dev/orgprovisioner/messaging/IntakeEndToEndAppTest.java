package dev.orgprovisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.testing.EmulatorsResource;
import dev.orgprovisioner.testing.FaultInjectingLedger;
import dev.orgprovisioner.testing.PubSubTestClient;
import dev.orgprovisioner.testing.PubSubTestClient.Received;
import dev.orgprovisioner.warehouse.Warehouse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The whole worker against the Pub/Sub and Firestore emulators and DuckDB. */
@QuarkusTest
@Tag("app")
@QuarkusTestResource(EmulatorsResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntakeEndToEndAppTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @Inject Ledger ledger;
  @Inject Warehouse warehouse;

  @ConfigProperty(name = "messaging.commands-topic")
  String commandsTopic;

  @ConfigProperty(name = "messaging.events-topic")
  String eventsTopic;

  @ConfigProperty(name = "messaging.dlq-topic")
  String dlqTopic;

  private PubSubTestClient pubsub;
  private PubSubTestClient.Reader events;
  private PubSubTestClient.Reader deadLetters;

  @BeforeAll
  void connect() {
    pubsub = PubSubTestClient.forSharedEmulator();
    events = pubsub.subscribe(eventsTopic);
    deadLetters = pubsub.subscribe(dlqTopic);
  }

  @AfterAll
  void disconnect() throws Exception {
    pubsub.close();
  }

  private static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  private void publishOnboard(String org, String id, Map<String, Object> data) {
    pubsub.publish(
        commandsTopic, MalformedCommands.onboardAttributes(id), MalformedCommands.json(data), org);
  }

  private List<Received> eventsFor(String correlationId, String type) {
    return events.where("correlation-id", correlationId).stream()
        .filter(e -> type.equals(e.attributes().get("ce-type")))
        .toList();
  }

  @Test
  void malformedCommands_landInTheDlqWithCodeAndFieldOnFirstDelivery_andAValidOneIsAccepted() {
    String org = unique("bad");
    String prefix = unique("m");
    List<MalformedCommands.Case> cases = MalformedCommands.all(org, prefix);
    for (MalformedCommands.Case c : cases) {
      pubsub.publish(commandsTopic, c.attributes(), c.data(), c.orderingKey());
    }
    String validId = unique("valid");
    publishOnboard(org, validId, MalformedCommands.onboardData(org));

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              List<Received> dead = deadLetters.poll();
              for (MalformedCommands.Case c : cases) {
                String id = c.attributes().get("ce-id");
                assertThat(dead)
                    .as(c.name())
                    .anySatisfy(
                        d -> {
                          assertThat(d.attributes().get("original-message-id")).isNotBlank();
                          assertThat(d.attributes())
                              .containsEntry("rejection-code", c.code().name())
                              .containsEntry("rejection-field", c.field())
                              // Rejected on the delivery that first saw it, not retried.
                              .containsEntry("delivery-attempts", "1");
                          if (id != null) {
                            assertThat(d.attributes()).containsEntry("ce-id", id);
                          }
                        });
              }
            });
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(events.poll())
                    .filteredOn(e -> "command.rejected".equals(e.attributes().get("ce-type")))
                    .filteredOn(e -> e.data().contains(prefix) || e.data().contains(org))
                    .hasSizeGreaterThanOrEqualTo(cases.size() - 2));
    await().atMost(DEADLINE).until(() -> !eventsFor(validId, "org.onboarded").isEmpty());
  }

  @Test
  void sameCommandPublishedThreeTimes_runsOneJobAndAnswersWithOneEventId() {
    String org = unique("dup");
    String id = unique("cmd");
    for (int i = 0; i < 3; i++) {
      publishOnboard(org, id, MalformedCommands.onboardData(org));
    }

    await().atMost(DEADLINE).until(() -> !eventsFor(id, "org.onboarded").isEmpty());
    publishOnboard(org, id, MalformedCommands.onboardData(org));
    await().atMost(DEADLINE).until(() -> eventsFor(id, "org.onboarded").size() >= 2);

    assertThat(ledger.jobs(null, org, 10)).hasSize(1);
    assertThat(eventsFor(id, "org.onboarded"))
        .extracting(e -> e.attributes().get("ce-id"))
        .containsOnly(eventsFor(id, "org.onboarded").get(0).attributes().get("ce-id"));
    assertThat(warehouse.selectRows("organizations", "org_profiles", Map.of("org_slug", org), 10))
        .hasSize(1);
  }

  @Test
  void handlerFailure_nacksAndTheMessageComesBackWithinSeconds() {
    String org = unique("nack");
    String id = FaultInjectingLedger.FAIL_ONCE_PREFIX + unique("x");

    publishOnboard(org, id, MalformedCommands.onboardData(org));

    await()
        .atMost(DEADLINE)
        .until(
            () ->
                FaultInjectingLedger.CLAIMS
                        .getOrDefault(id, new java.util.concurrent.atomic.AtomicInteger())
                        .get()
                    >= 2);
    Instant first = FaultInjectingLedger.CLAIM_TIMES.get(id + "#1");
    Instant second = FaultInjectingLedger.CLAIM_TIMES.get(id + "#2");
    assertThat(Duration.between(first, second)).isLessThan(Duration.ofSeconds(15));
    System.out.printf("nack → redelivery took %d ms%n", Duration.between(first, second).toMillis());
    await().atMost(DEADLINE).until(() -> !eventsFor(id, "org.onboarded").isEmpty());
    assertThat(ledger.jobs(null, org, 10))
        .singleElement()
        .extracting(Job::state)
        .isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void reusedKeyWithAnotherPayload_isRejectedAsIdempotencyKeyReused() {
    String org = unique("reuse");
    String id = unique("cmd");
    publishOnboard(org, id, MalformedCommands.onboardData(org));
    await().atMost(DEADLINE).until(() -> !eventsFor(id, "org.onboarded").isEmpty());

    Map<String, Object> other = MalformedCommands.onboardData(org);
    other.put("subscription_plan", "SCALE");
    publishOnboard(org, id, other);

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(deadLetters.where("ce-id", id))
                    .anySatisfy(
                        d ->
                            assertThat(d.attributes())
                                .containsEntry("rejection-code", "IDEMPOTENCY_KEY_REUSED")
                                .containsEntry("rejection-field", "idempotency-key")));
    assertThat(ledger.jobs(null, org, 10)).hasSize(1);
  }

  @Test
  void onboardCommand_provisionsTheOrgAndAnswersWithOrgOnboarded() {
    String org = unique("e2e");
    String id = unique("cmd");

    publishOnboard(org, id, MalformedCommands.onboardData(org));

    await().atMost(DEADLINE).until(() -> !eventsFor(id, "org.onboarded").isEmpty());
    Received event = eventsFor(id, "org.onboarded").get(0);
    assertThat(event.attributes())
        .containsEntry("ce-specversion", "1.0")
        .containsEntry("ce-subject", org)
        .containsEntry("idempotency-key", id);
    assertThat(event.orderingKey()).isEqualTo(org);
    assertThat(event.data()).contains("\"status\":\"SYNCED\"");
    assertThat(warehouse.freshSnapshot(org + "_local").orElseThrow().tables()).hasSize(19);
    assertThat(warehouse.freshSnapshot(org + "_local").orElseThrow().views()).hasSize(4);
    for (String table :
        List.of("org_profiles", "org_subscriptions", "org_usage_quotas", "org_audit_logs")) {
      assertThat(warehouse.selectRows("organizations", table, Map.of("org_slug", org), 10))
          .as(table)
          .hasSize(1);
    }
  }
}
