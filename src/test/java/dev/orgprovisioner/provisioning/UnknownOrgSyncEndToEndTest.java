package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.ledger.FirestoreLedger;
import dev.orgprovisioner.messaging.HandWiredWorker;
import dev.orgprovisioner.messaging.MessagingConfig;
import dev.orgprovisioner.testing.EventSchemas;
import dev.orgprovisioner.testing.PubSubTestClient;
import dev.orgprovisioner.testing.PubSubTestClient.Received;
import dev.orgprovisioner.testing.SharedEmulators;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * org.sync.requested for an org that was never onboarded, through Pub/Sub and the whole worker:
 * org.sync.failed with ORG_NOT_FOUND, nothing created; a dry run answers NOT_FOUND.
 */
class UnknownOrgSyncEndToEndTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private static Map<String, String> syncAttributes(String id) {
    return Map.of(
        "ce-specversion", "1.0",
        "ce-type", "org.sync.requested",
        "ce-id", id,
        "ce-source", "//tests/frontend");
  }

  private static byte[] syncData(String org, boolean dryRun) {
    return ("{\"org_slug\":\"" + org + "\",\"options\":{\"dry_run\":" + dryRun + "}}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void syncOfAnOrgNeverOnboarded_answersOrgSyncFailedWithOrgNotFound_andCreatesNothing()
      throws Exception {
    String prefix = "ghost" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String host = SharedEmulators.pubSub().hostPort();
    MessagingConfig topology = HandWiredWorker.topology(host, prefix, Map.of());
    HandWiredWorker.createTopology(topology);
    String org = prefix + "_org";
    try (Firestore db = SharedEmulators.firestoreClient();
        DuckDbWarehouse duck = new DuckDbWarehouse(":memory:");
        PubSubTestClient pubsub = PubSubTestClient.forSharedEmulator()) {
      FirestoreLedger ledger = SharedEmulators.freshLedger(db, prefix, Duration.ofSeconds(30));
      PubSubTestClient.Reader events = pubsub.subscribe(topology.eventsTopic());
      try (HandWiredWorker worker =
          HandWiredWorker.start(
              HandWiredWorker.Options.of(host, topology, ledger, duck, "ghost-worker"))) {
        worker.service.bootstrap(false);

        pubsub.publish(
            topology.commandsTopic(), syncAttributes(prefix + "-sync"), syncData(org, false), org);
        pubsub.publish(
            topology.commandsTopic(), syncAttributes(prefix + "-dry"), syncData(org, true), org);

        await()
            .atMost(DEADLINE)
            .until(
                () ->
                    !events.where("correlation-id", prefix + "-sync").isEmpty()
                        && !events.where("correlation-id", prefix + "-dry").isEmpty());
        Received failed = events.where("correlation-id", prefix + "-sync").get(0);
        Received dry = events.where("correlation-id", prefix + "-dry").get(0);

        assertThat(failed.attributes()).containsEntry("ce-type", "org.sync.failed");
        assertThat(failed.data())
            .contains("\"error_code\":\"ORG_NOT_FOUND\"", "\"error_kind\":\"permanent\"");
        assertThat(EventSchemas.violations("org.sync.failed", failed.data())).isEmpty();
        assertThat(dry.attributes()).containsEntry("ce-type", "org.synced");
        assertThat(dry.data()).contains("\"status\":\"NOT_FOUND\"", "\"dry_run\":true");
        assertThat(EventSchemas.violations("org.synced", dry.data())).isEmpty();
        assertThat(ledger.jobs(null, org, 10))
            .extracting(j -> j.state())
            .containsExactlyInAnyOrder(JobState.FAILED, JobState.SUCCEEDED);
        assertThat(ledger.jobs(JobState.FAILED, org, 10))
            .singleElement()
            .satisfies(j -> assertThat(j.attempts()).isEqualTo(1));
        assertThat(duck.freshSnapshot(org + "_local")).isEmpty();
        assertThat(duck.managedDatasets()).noneMatch(d -> d.startsWith(org));
        assertThat(duck.selectRows("organizations", "org_profiles", Map.of("org_slug", org), 1))
            .isEmpty();
        assertThat(List.of(failed, dry))
            .allSatisfy(e -> assertThat(e.orderingKey()).isEqualTo(org));
      }
    }
  }
}
