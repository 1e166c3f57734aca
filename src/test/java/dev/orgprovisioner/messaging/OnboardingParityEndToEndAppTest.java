package dev.orgprovisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.ObservedView;
import dev.orgprovisioner.testing.CentralRowCounts;
import dev.orgprovisioner.testing.EmulatorsResource;
import dev.orgprovisioner.testing.EventSchemas;
import dev.orgprovisioner.testing.PubSubTestClient;
import dev.orgprovisioner.testing.PubSubTestClient.Received;
import dev.orgprovisioner.warehouse.Warehouse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The old service's abilities over Pub/Sub, end to end on the emulators and DuckDB: an onboarding
 * dry run answered by an event and writing nothing, and a sync that recreates every view.
 */
@QuarkusTest
@Tag("app")
@QuarkusTestResource(EmulatorsResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnboardingParityEndToEndAppTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject Ledger ledger;
  @Inject Warehouse warehouse;

  @ConfigProperty(name = "messaging.commands-topic")
  String commandsTopic;

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

  /** Publishes a command of {@code type} for {@code org} and returns its ce-id. */
  private String publish(String type, String org, Map<String, Object> data) {
    String id = unique("cmd");
    Map<String, String> attributes = MalformedCommands.onboardAttributes(id);
    attributes.put("ce-type", type);
    pubsub.publish(commandsTopic, attributes, MalformedCommands.json(data), org);
    return id;
  }

  private String onboard(String org, Map<String, Object> changes) {
    Map<String, Object> data = MalformedCommands.onboardData(org);
    data.putAll(changes);
    return publish("org.onboard.requested", org, data);
  }

  /** The terminal event answering the command {@code id}, once it arrived. */
  private Received answer(String id) {
    await().atMost(DEADLINE).until(() -> !events.where("correlation-id", id).isEmpty());
    return events.where("correlation-id", id).get(0);
  }

  private static JsonNode data(Received event) throws Exception {
    return JSON.readTree(event.data());
  }

  /**
   * The org's dataset, whether the central dataset exists and the org's rows in every central table
   * (none without it).
   */
  private record State(
      Optional<ObservedDataset> dataset, boolean central, Map<String, Integer> rows) {}

  private State state(String org) {
    boolean central = warehouse.freshSnapshot(CentralRowCounts.CENTRAL).isPresent();
    return new State(
        warehouse.freshSnapshot(org + "_local"),
        central,
        central ? CentralRowCounts.of(warehouse, org) : Map.of());
  }

  @Test
  void dryRunsOverPubSub_answerWithAnEvent_andWriteNothingButTheirOwnJob() throws Exception {
    String free = unique("ps_free");
    State freeBefore = state(free);
    Received freeAnswer = answer(onboard(free, Map.of("dry_run", true)));
    assertThat(freeAnswer.attributes()).containsEntry("ce-type", "org.onboarded");
    assertThat(EventSchemas.violations("org.onboarded", freeAnswer.data())).isEmpty();
    assertThat(data(freeAnswer).path("dry_run").asBoolean()).isTrue();
    assertThat(data(freeAnswer).path("would_create").path("dataset").asBoolean()).isTrue();
    assertThat(data(freeAnswer).path("would_create").path("central_dataset").asBoolean())
        .isEqualTo(!freeBefore.central());
    assertThat(state(free)).isEqualTo(freeBefore);
    assertThat(state(free).dataset()).isEmpty();
    assertThat(state(free).rows()).allSatisfy((t, n) -> assertThat(n).as(t).isZero());
    assertThat(ledger.jobs(null, free, 10)).hasSize(1);

    String owned = unique("ps_owned");
    assertThat(answer(onboard(owned, Map.of())).attributes())
        .containsEntry("ce-type", "org.onboarded");
    State before = state(owned);

    Received same = answer(onboard(owned, Map.of("dry_run", true)));
    assertThat(same.attributes()).containsEntry("ce-type", "org.onboarded");
    assertThat(data(same).path("already_existed").asBoolean()).isTrue();
    assertThat(data(same).path("dry_run").asBoolean()).isTrue();

    Received conflict =
        answer(onboard(owned, Map.of("dry_run", true, "company_name", "Globex Corp")));
    assertThat(conflict.attributes()).containsEntry("ce-type", "org.onboarding.failed");
    assertThat(EventSchemas.violations("org.onboarding.failed", conflict.data())).isEmpty();
    assertThat(data(conflict).path("error_code").asText()).isEqualTo("ORG_EXISTS");
    assertThat(data(conflict).path("details").path("dry_run").asBoolean()).isTrue();

    assertThat(state(owned)).isEqualTo(before);
  }

  @Test
  void anInvalidDryRun_isRejectedLikeAnyInvalidCommand_withCodeAndField() throws Exception {
    String org = unique("ps_bad");
    String id = onboard(org, Map.of("dry_run", true, "default_currency", "XXY"));

    Received rejected = answer(id);
    assertThat(rejected.attributes()).containsEntry("ce-type", "command.rejected");
    assertThat(data(rejected).toString()).contains("INVALID_CURRENCY", "data.default_currency");
    assertThat(ledger.jobs(null, org, 10)).isEmpty();
  }

  @Test
  void syncWithViewsRecreate_replacesEveryViewOfAnUpToDateOrg_andThePlanListsThem()
      throws Exception {
    String org = unique("ps_views");
    answer(onboard(org, Map.of()));
    Map<String, String> before = viewSql(org);

    Received plain =
        answer(
            publish(
                "org.sync.requested",
                org,
                Map.of("org_slug", org, "options", Map.of("dry_run", true))));
    assertThat(data(plain).path("plan").path("steps")).isEmpty();

    Received forced =
        answer(
            publish(
                "org.sync.requested",
                org,
                Map.of("org_slug", org, "options", Map.of("views", "recreate"))));
    assertThat(forced.attributes()).containsEntry("ce-type", "org.synced");
    assertThat(EventSchemas.violations("org.synced", forced.data())).isEmpty();
    JsonNode data = data(forced);
    List<String> recreated = JSON.convertValue(data.path("views_recreated"), List.class);
    assertThat(recreated).containsExactlyInAnyOrderElementsOf(before.keySet());
    assertThat(data.path("plan").path("steps")).hasSize(before.size());
    assertThat(data.path("applied")).hasSize(before.size());
    assertThat(data.path("plan").path("status").asText()).isEqualTo("SYNCED");
    // Replaced from the catalog: each definition is again the rendered template.
    assertThat(viewSql(org)).isEqualTo(before);
  }

  private Map<String, String> viewSql(String org) {
    return warehouse.freshSnapshot(org + "_local").orElseThrow().views().values().stream()
        .collect(Collectors.toMap(ObservedView::name, ObservedView::sql));
  }
}
