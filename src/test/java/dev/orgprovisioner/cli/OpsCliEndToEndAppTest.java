package dev.orgprovisioner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.testing.DeadLetterFixtures;
import dev.orgprovisioner.testing.EmulatorsResource;
import dev.orgprovisioner.testing.FaultInjectingLedger;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.PubSubTestClient;
import dev.orgprovisioner.testing.PubSubTestClient.Received;
import dev.orgprovisioner.warehouse.Warehouse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * The ops CLI, run in-process through picocli against the running worker's emulators: the DLQ flow
 * (fail five times → list → replay → success), replays of finished commands, and jobs.
 */
@QuarkusTest
@Tag("app")
@QuarkusTestResource(EmulatorsResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsCliEndToEndAppTest {

  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject Ledger ledger;
  @Inject Warehouse warehouse;
  @Inject ProvisioningService provisioning;
  @Inject CommandDecoder decoder;
  @Inject EventFactory eventFactory;

  @ConfigProperty(name = "messaging.emulator-host")
  String pubsubHost;

  @ConfigProperty(name = "messaging.project-id")
  String project;

  @ConfigProperty(name = "ledger.emulator-host")
  String firestoreHost;

  @ConfigProperty(name = "ledger.collection-prefix")
  String prefix;

  @ConfigProperty(name = "messaging.dlq-topic")
  String dlqTopic;

  @ConfigProperty(name = "messaging.events-topic")
  String eventsTopic;

  @TestHTTPResource("/")
  URL api;

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

  /** What one CLI run left behind. */
  record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (java.io.IOException e) {
        throw new AssertionError("not JSON: " + out + " / " + err, e);
      }
    }
  }

  /** Runs {@code ops <args…>} against this test's emulators and ledger collections. */
  private Run ops(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!args[0].equals("plan")) {
      all.addAll(
          List.of(
              "--project", project,
              "--pubsub-emulator", pubsubHost,
              "--firestore-emulator", firestoreHost,
              "--collection-prefix", prefix));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = OpsCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  private JsonNode dlqList(String org) {
    Run run = ops("dlq", "list", "--org", org, "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    return run.json();
  }

  private List<Received> eventsFor(String correlationId, String type) {
    return events.where("correlation-id", correlationId).stream()
        .filter(e -> type.equals(e.attributes().get("ce-type")))
        .toList();
  }

  private int claims(String ceId) {
    return FaultInjectingLedger.CLAIMS.getOrDefault(ceId, new AtomicInteger()).get();
  }

  @Test
  void commandFailingFiveTimes_landsInTheDlq_isListed_andReplayRunsItToSuccess() {
    String org = unique("dlq");
    FaultInjectingLedger.BROKEN_ORGS.add(org);
    try {
      Run published =
          ops("publish", "onboard", "--org", org, "--admin-email", "ops@acme.example", "--json");
      assertThat(published.exit()).as(published.err()).isZero();
      String ceId = published.json().get("ce_id").asText();

      await().atMost(DEADLINE).untilAsserted(() -> assertThat(dlqList(org)).hasSize(1));
      JsonNode dead = dlqList(org).get(0);
      assertThat(dead.get("type").asText()).isEqualTo("org.onboard.requested");
      assertThat(dead.get("reason").asText()).isEqualTo("DELIVERY_ATTEMPTS_EXHAUSTED");
      assertThat(dead.get("attempts").asInt()).isEqualTo(5);
      assertThat(dead.get("rejected").asBoolean()).isFalse();
      assertThat(Instant.parse(dead.get("first_failure_at").asText()))
          .isBeforeOrEqualTo(Instant.parse(dead.get("dead_lettered_at").asText()));
      assertThat(dead.get("command_id").asText()).isEqualTo(ceId);
      assertThat(claims(ceId)).isEqualTo(5);
      assertThat(ledger.jobs(null, org, 10)).isEmpty();
    } finally {
      FaultInjectingLedger.BROKEN_ORGS.remove(org);
    }

    Run replay = ops("dlq", "replay", "--org", org, "--json");

    assertThat(replay.exit()).as(replay.err()).isZero();
    assertThat(replay.json().get("replayed")).hasSize(1);
    awaitOnlyJobSucceeded(org);
    Job job = ledger.jobs(null, org, 10).get(0);
    assertThat(job.attributes())
        .containsEntry("replay-count", "1")
        .doesNotContainKeys("rejection-code", "delivery-attempts", "dead-lettered-at");
    assertThat(dlqList(org)).isEmpty();
  }

  @Test
  void replayOfACommandThatAlreadySucceeded_republishesItsStoredEvent_withoutSideEffects() {
    String org = unique("done");
    Run published =
        ops(
            "publish",
            "onboard",
            "--org",
            org,
            "--admin-email",
            "ops@acme.example",
            "--idempotency-key",
            "key-" + org,
            "--json");
    assertThat(published.exit()).as(published.err()).isZero();
    String ceId = published.json().get("ce_id").asText();
    await().atMost(DEADLINE).until(() -> !eventsFor(ceId, "org.onboarded").isEmpty());
    String firstEventId = eventsFor(ceId, "org.onboarded").get(0).attributes().get("ce-id");
    Job job = ledger.jobs(null, org, 10).get(0);
    assertThat(job.trace().traceId())
        .as("the job runs in the trace the CLI printed")
        .isEqualTo(published.json().get("trace_id").asText());
    // The audit rows are written after the event; wait for them before counting.
    await().atMost(DEADLINE).until(() -> auditRuns(org) > 0);
    int runs = auditRuns(org);
    DeadLetterFixtures.exhaustedCopy(pubsub, dlqTopic, job.attributes(), job.data(), org);

    Run replay = ops("dlq", "replay", "--org", org);

    assertThat(replay.exit()).as(replay.err()).isZero();
    assertThat(replay.out()).contains("Replayed 1 command(s)");
    await().atMost(DEADLINE).until(() -> eventsFor(ceId, "org.onboarded").size() >= 2);
    assertThat(eventsFor(ceId, "org.onboarded"))
        .extracting(e -> e.attributes().get("ce-id"))
        .containsOnly(firstEventId);
    assertThat(claims(ceId)).isEqualTo(2);
    assertThat(ledger.jobs(null, org, 10)).hasSize(1);
    assertThat(warehouse.selectRows("organizations", "org_profiles", Map.of("org_slug", org), 10))
        .hasSize(1);
    assertThat(auditRuns(org)).isEqualTo(runs);
    assertThat(dlqList(org)).isEmpty();
  }

  private int auditRuns(String org) {
    return warehouse
        .selectRows("organizations", "org_meta_pipeline_runs", Map.of("org_slug", org), 1000)
        .size();
  }

  @Test
  void dlqList_consumesNothing_listingTwiceShowsTheSameMessages() {
    String org = unique("list");
    String first = DeadLetterFixtures.exhaustedOnboard(pubsub, dlqTopic, org, unique("a"));
    String second = DeadLetterFixtures.rejectedOnboard(pubsub, dlqTopic, org, unique("b"));

    JsonNode once = dlqList(org);
    JsonNode twice = dlqList(org);

    assertThat(once).extracting(n -> n.get("message_id").asText()).containsExactly(first, second);
    assertThat(twice).isEqualTo(once);
    assertThat(once.get(1).get("reason").asText()).isEqualTo("INVALID_VALUE");
    assertThat(once.get(1).get("rejected").asBoolean()).isTrue();
    Run table = ops("dlq", "list", "--org", org);
    assertThat(table.exit()).isZero();
    assertThat(table.out())
        .contains("DELIVERY_ATTEMPTS_EXHAUSTED", "INVALID_VALUE", "2 dead-lettered command(s)");
  }

  @Test
  void rejectedCommands_areSkippedByReplay_unlessIncludeRejectedIsGiven() {
    String org = unique("rej");
    String ceId = unique("r");
    DeadLetterFixtures.rejectedOnboard(pubsub, dlqTopic, org, ceId);

    Run skipped = ops("dlq", "replay", "--org", org, "--json");

    assertThat(skipped.exit()).isZero();
    assertThat(skipped.json().get("replayed")).isEmpty();
    assertThat(skipped.json().get("skipped_rejected")).hasSize(1);
    assertThat(dlqList(org)).hasSize(1);
    assertThat(claims(ceId)).isZero();

    Run included = ops("dlq", "replay", "--org", org, "--include-rejected", "--json");

    assertThat(included.exit()).isZero();
    assertThat(included.json().get("replayed")).hasSize(1);
    awaitOnlyJobSucceeded(org);
    assertThat(dlqList(org)).isEmpty();
  }

  @Test
  void dryRun_publishesNothing_andLeavesTheDlqAsItWas() {
    String org = unique("dry");
    String ceId = unique("d");
    DeadLetterFixtures.exhaustedOnboard(pubsub, dlqTopic, org, ceId);

    Run dry = ops("dlq", "replay", "--org", org, "--dry-run", "--json");

    assertThat(dry.exit()).isZero();
    assertThat(dry.json().get("dry_run").asBoolean()).isTrue();
    assertThat(dry.json().get("replayed")).hasSize(1);
    assertThat(dlqList(org)).hasSize(1);
    // The real replay afterwards is the first publication the intake ever sees.
    assertThat(ops("dlq", "replay", "--org", org).exit()).isZero();
    awaitOnlyJobSucceeded(org);
    assertThat(claims(ceId)).isEqualTo(1);
  }

  @Test
  void replayCount_replaysAtMostThatMany_andLeavesTheRestInTheDlq() {
    String org = unique("count");
    DeadLetterFixtures.exhaustedOnboard(pubsub, dlqTopic, org, unique("c1"));
    DeadLetterFixtures.exhaustedOnboard(pubsub, dlqTopic, org, unique("c2"));

    Run replay = ops("dlq", "replay", "--org", org, "--count", "1", "--json");

    assertThat(replay.exit()).as(replay.err()).isZero();
    assertThat(replay.json().get("replayed")).hasSize(1);
    assertThat(dlqList(org)).hasSize(1);
  }

  @Test
  void replayWhosePublishFails_exitsWith1_andTheMessageStaysInTheDlq() {
    String org = unique("keep");
    String messageId = DeadLetterFixtures.exhaustedOnboard(pubsub, dlqTopic, org, unique("k"));

    Run failed =
        ops("dlq", "replay", "--org", org, "--commands-topic", "no-such-topic-" + org, "--json");

    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.err()).contains("stays in the DLQ");
    assertThat(failed.json().get("replayed")).isEmpty();
    assertThat(dlqList(org))
        .extracting(n -> n.get("message_id").asText())
        .containsExactly(messageId);
  }

  @Test
  void failedJob_isListedShownAndRetried_toSuccess_andOnlyFailedJobsAreRetried() {
    String org = unique("job");
    String ceId = unique("j");
    DecodeResult decoded =
        decoder.decode(
            MalformedCommands.onboardAttributes(ceId),
            MalformedCommands.json(MalformedCommands.onboardData(org)),
            org);
    var envelope = ((DecodeResult.Accepted) decoded).envelope();
    // A job that failed permanently (as a warehouse outage for this org would leave it).
    Job job =
        LedgerFixtures.failedAheadOfWorkers(
            ledger,
            envelope,
            ErrorInfo.permanent("WAREHOUSE_PERMANENT", "injected: dataset creation denied"),
            at -> eventFactory.event("org.onboarding.failed", org, ceId, ceId, Map.of(), at));

    Run list = ops("jobs", "list", "--state", "FAILED", "--org", org, "--json");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.json()).hasSize(1);
    assertThat(list.json().get(0).get("job_id").asText()).isEqualTo(job.id());
    assertThat(list.json().get(0).at("/last_error/code").asText()).isEqualTo("WAREHOUSE_PERMANENT");
    assertThat(list.json().get(0).get("priority").asInt()).isEqualTo(1);
    Run table = ops("jobs", "list", "--org", org);
    assertThat(table.out().lines().findFirst().orElseThrow()).contains("STATE", "PRIORITY");
    assertThat(table.out()).containsPattern(job.id() + ".*FAILED\\s+1\\s+\\d+\\s");
    Run show = ops("jobs", "show", job.id());
    assertThat(show.exit()).isZero();
    assertThat(show.out()).contains("state:           FAILED", "WAREHOUSE_PERMANENT");

    Run retry = ops("jobs", "retry", job.id());

    assertThat(retry.exit()).as(retry.err()).isZero();
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(ledger.job(job.id()).orElseThrow().state())
                    .isEqualTo(JobState.SUCCEEDED));
    assertThat(warehouse.selectRows("organizations", "org_profiles", Map.of("org_slug", org), 10))
        .hasSize(1);
    Run shown = ops("jobs", "show", job.id(), "--json");
    assertThat(shown.json().get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(shown.json().get("completed_steps")).isNotEmpty();
    // The key answers with the new outcome: a duplicate gets the success event, not the failure.
    assertThat(ledger.claim(envelope, Instant.now()))
        .isInstanceOfSatisfying(
            ClaimResult.Finished.class,
            f -> assertThat(f.terminalEvent().type()).isEqualTo("org.onboarded"));
    Run again = ops("jobs", "retry", job.id());
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("only FAILED jobs can be retried");
    assertThat(ops("jobs", "retry", "no-such-job").exit()).isEqualTo(1);
  }

  @Test
  void usageErrorsExitWith2_andInvalidCommandsAreRefusedBeforePublishing() {
    assertThat(ops("dlq", "list", "--limit", "zero").exit()).isEqualTo(2);
    Run invalid =
        ops("publish", "onboard", "--org", "Bad-Slug", "--admin-email", "ops@acme.example");
    assertThat(invalid.exit()).isEqualTo(2);
    assertThat(invalid.err()).contains("org_slug");
    assertThat(ops("jobs", "list", "--state", "DONE").exit()).isEqualTo(2);
  }

  @Test
  void publish_refusesASlugEndingInALineTerminatorOrSpace_asTheIntakeAndTheFrontendDo() {
    for (String ending : List.of("\n", "\r\n", "\u2028", "\u2029", " ", "\u00A0")) {
      Run invalid = ops("publish", "sync", "--org", "acme_corp" + ending, "--dry-run");
      assertThat(invalid.exit()).as(ending).isEqualTo(2);
      assertThat(invalid.err()).as(ending).contains("data.org_slug");
    }
  }

  @Test
  void rotateKey_fromTheCli_runsAfterTheOnboardingOfItsOrg_andABadHashIsRefusedNamingTheField() {
    String org = unique("rotate");
    Run onboard =
        ops(
            "publish",
            "onboard",
            "--org",
            org,
            "--admin-email",
            "ops@acme.example",
            "--api-key-sha256",
            "ab".repeat(32));
    assertThat(onboard.exit()).as(onboard.err()).isZero();
    Run rotate =
        ops("publish", "rotate-key", "--org", org, "--api-key-sha256", "cd".repeat(32), "--json");
    assertThat(rotate.exit()).as(rotate.err()).isZero();

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(ledger.jobs(null, org, 10))
                    .hasSize(2)
                    .allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED)));
    Job rotation =
        ledger.jobs(null, org, 10).stream()
            .filter(j -> j.type() == CommandType.ROTATE_API_KEY)
            .findFirst()
            .orElseThrow();
    assertThat(rotation.facts()).containsKey("changed_at");
    assertThat(rotation.data()).contains("\"revoke_previous\":true");

    Run bad = ops("publish", "rotate-key", "--org", org, "--api-key-sha256", "not-a-hash");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("data.api_key_sha256");
  }

  @Test
  void publishOnboardDryRun_createsNothing_andPublishSyncRecreateViews_asksForEveryView() {
    String org = unique("cliopts");
    Run dry =
        ops("publish", "onboard", "--org", org, "--admin-email", "ops@acme.example", "--dry-run");
    assertThat(dry.exit()).as(dry.err()).isZero();
    awaitOnlyJobSucceeded(org);
    assertThat(ledger.jobs(null, org, 10).get(0).data()).contains("\"dry_run\":true");
    assertThat(warehouse.freshSnapshot(org + "_local")).isEmpty();

    assertThat(ops("publish", "onboard", "--org", org, "--admin-email", "ops@acme.example").exit())
        .isZero();
    await().atMost(DEADLINE).until(() -> ledger.jobs(JobState.SUCCEEDED, org, 10).size() == 2);
    Run sync = ops("publish", "sync", "--org", org, "--recreate-views");
    assertThat(sync.exit()).as(sync.err()).isZero();
    await().atMost(DEADLINE).until(() -> ledger.jobs(JobState.SUCCEEDED, org, 10).size() == 3);
    assertThat(ledger.jobs(null, org, 10))
        .filteredOn(j -> j.type() == CommandType.SYNC)
        .singleElement()
        .satisfies(j -> assertThat(j.data()).contains("\"views\":\"recreate\""));
  }

  @Test
  void offboardAndRestore_fromTheCli_deleteTheDatasetWhenDue_andBringItBack() {
    String org = unique("leave");
    String dataset = provisioning.settings().orgDataset(OrgSlug.parse(org));
    Run onboard = ops("publish", "onboard", "--org", org, "--admin-email", "ops@acme.example");
    assertThat(onboard.exit()).as(onboard.err()).isZero();
    Run offboard =
        ops("publish", "offboard", "--org", org, "--reason", "contract ended", "--grace-days", "0");
    assertThat(offboard.exit()).as(offboard.err()).isZero();

    // Onboarding, offboarding and the deadline it queued, due at once with no grace period.
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(ledger.jobs(null, org, 10))
                    .extracting(Job::type, Job::state)
                    .containsExactlyInAnyOrder(
                        tuple(CommandType.ONBOARD, JobState.SUCCEEDED),
                        tuple(CommandType.OFFBOARD, JobState.SUCCEEDED),
                        tuple(CommandType.OFFBOARD_DEADLINE, JobState.SUCCEEDED)));
    assertThat(warehouse.freshSnapshot(dataset)).isEmpty();

    Run restore = ops("publish", "restore", "--org", org);
    assertThat(restore.exit()).as(restore.err()).isZero();
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(ledger.jobs(null, org, 10))
                    .filteredOn(j -> j.type() == CommandType.RESTORE)
                    .singleElement()
                    .extracting(Job::state)
                    .isEqualTo(JobState.SUCCEEDED));
    assertThat(warehouse.freshSnapshot(dataset)).isPresent();

    Run bad = ops("publish", "offboard", "--org", org, "--reason", "");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("data.reason");
  }

  @Test
  void plan_asksTheRunningWorker_andPrintsTheOrgsPlan() {
    String org = unique("plan");
    Run plan =
        ops("plan", org, "--api-url", api.toString(), "--admin-key", "test-admin-key", "--json");

    assertThat(plan.exit()).as(plan.err()).isZero();
    assertThat(plan.json().get("dataset").asText()).startsWith(org + "_");
    assertThat(plan.json().get("steps").size()).isGreaterThan(10);
    Run text = ops("plan", org, "--api-url", api.toString(), "--admin-key", "test-admin-key");
    assertThat(text.out()).contains("dataset: " + org + "_", "steps:");
    assertThat(ops("plan", org, "--api-url", "http://127.0.0.1:1").exit()).isEqualTo(1);
  }

  /** Waits until the org's one and only job has succeeded. */
  private void awaitOnlyJobSucceeded(String org) {
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(ledger.jobs(null, org, 10))
                    .singleElement()
                    .extracting(Job::state)
                    .isEqualTo(JobState.SUCCEEDED));
  }
}
