package dev.orgprovisioner.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.pubsub.v1.AckReplyConsumer;
import com.google.pubsub.v1.PubsubMessage;
import dev.orgprovisioner.emulator.EmulatorProcess;
import dev.orgprovisioner.emulator.Emulators;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.ledger.FirestoreLedger;
import dev.orgprovisioner.messaging.HandWiredWorker;
import dev.orgprovisioner.messaging.MessagingConfig;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.PubSubTestClient.Received;
import dev.orgprovisioner.testing.SharedEmulators;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 500 commands, each published three times, and one in five deliveries' ack turned into a nack
 * after the work was done (a lost ack): exactly one job and one terminal event per command, and no
 * duplicate rows in the warehouse's audit trail.
 */
@Tag("faults")
class DuplicatesStormTest {

  private static final int COMMANDS = 500;
  private static final int COPIES = 3;
  private static final int ORGS = 100;

  @Test
  void everyCommandPublishedThreeTimesWithLostAcks_runsOnceAndAnswersOnce() throws Exception {
    long start = System.nanoTime();
    String prefix = FaultKit.unique("storm");
    // A Pub/Sub emulator of its own: it keeps a thread per ordering key (docs/stack-facts.md).
    EmulatorProcess pubSub = Emulators.startPubSub();
    String host = pubSub.hostPort();
    MessagingConfig topology = HandWiredWorker.topology(host, prefix, Map.of());
    HandWiredWorker.createTopology(topology);
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Set<String> lostAcks = ConcurrentHashMap.newKeySet();
    AtomicInteger deliveries = new AtomicInteger();

    try (pubSub;
        Firestore db = SharedEmulators.firestoreClient();
        DuckDbWarehouse duck = new DuckDbWarehouse(":memory:");
        FaultKit.Tap events = new FaultKit.Tap(host, topology.eventsTopic())) {
      FirestoreLedger ledger = SharedEmulators.freshLedger(db, "storm", Duration.ofSeconds(30));
      HandWiredWorker.Options options =
          HandWiredWorker.Options.of(host, topology, ledger, duck, "storm-worker")
              .withReplies(
                  (message, reply) -> {
                    deliveries.incrementAndGet();
                    return new AckReplyConsumer() {
                      @Override
                      public void ack() {
                        String id = message.getMessageId();
                        // Every fifth message loses its first ack: Pub/Sub delivers it again.
                        if (Math.floorMod(id.hashCode(), 5) == 0 && lostAcks.add(id)) {
                          reply.nack();
                        } else {
                          acked.add(id);
                          reply.ack();
                        }
                      }

                      @Override
                      public void nack() {
                        reply.nack();
                      }
                    };
                  });
      try (HandWiredWorker worker = HandWiredWorker.start(options)) {
        worker.service.bootstrap(false);
        List<String> orgs = new ArrayList<>();
        for (int i = 0; i < ORGS; i++) {
          orgs.add(prefix + "_org_" + i);
        }
        List<PubsubMessage> published = new ArrayList<>();
        for (int copy = 0; copy < COPIES; copy++) {
          for (int i = 0; i < COMMANDS; i++) {
            published.add(FaultKit.syncDryRun(orgs.get(i % ORGS), prefix + "-cmd-" + i));
          }
        }
        FaultKit.publishAll(host, topology.commandsTopic(), published);
        long publishedAt = System.nanoTime();

        await()
            .atMost(Duration.ofMinutes(8))
            .until(() -> events.distinct("org.synced", "idempotency-key") == COMMANDS);
        long answeredAt = System.nanoTime();
        // Every copy has been taken in and acked for good (the publisher client may even have
        // sent one twice under load), so nothing can still create work.
        await().atMost(Duration.ofMinutes(2)).until(() -> acked.size() >= COMMANDS * COPIES);
        await()
            .atMost(Duration.ofMinutes(1))
            .until(
                () -> LedgerFixtures.allJobs(ledger, JobState.SUCCEEDED, null).size() == COMMANDS);
        worker.flushAudit();

        List<Job> jobs = LedgerFixtures.allJobs(ledger, null, null);
        List<Received> synced = events.ofType("org.synced");
        Map<String, Long> eventIdsPerKey =
            FaultKit.countBy(
                synced.stream()
                    .map(
                        e ->
                            e.attributes().get("idempotency-key")
                                + "|"
                                + e.attributes().get("ce-id"))
                    .distinct()
                    .toList(),
                s -> s.substring(0, s.indexOf('|')));
        List<Map<String, Object>> runs =
            duck.selectRows("organizations", "org_meta_pipeline_runs", Map.of(), 100_000);
        List<Map<String, Object>> keys =
            duck.selectRows("organizations", "org_idempotency_keys", Map.of(), 100_000);
        long runRows =
            runs.stream().filter(r -> String.valueOf(r.get("org_slug")).startsWith(prefix)).count();
        long distinctRuns =
            runs.stream()
                .filter(r -> String.valueOf(r.get("org_slug")).startsWith(prefix))
                .map(r -> r.get("pipeline_logging_id"))
                .distinct()
                .count();
        long keyRows =
            keys.stream()
                .filter(r -> String.valueOf(r.get("idempotency_key")).startsWith(prefix))
                .count();

        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("commands", COMMANDS);
        counts.put("published", published.size());
        counts.put("lost-acks", lostAcks.size());
        counts.put("deliveries", deliveries.get());
        counts.put("jobs", jobs.size());
        counts.put("terminal-events", synced.size());
        counts.put("distinct-event-ids", events.distinct("org.synced", "ce-id"));
        counts.put(
            "keys-with-one-event-id", eventIdsPerKey.values().stream().filter(n -> n == 1).count());
        counts.put("audit-run-rows", runRows);
        counts.put("duplicate-rows", (runRows - distinctRuns) + (keyRows - COMMANDS));
        counts.put("publish-s", String.format("%.1f", (publishedAt - start) / 1e9));
        counts.put("all-answered-s", String.format("%.1f", (answeredAt - start) / 1e9));
        FaultKit.report("duplicates-storm", counts, start);

        assertThat(lostAcks).isNotEmpty();
        assertThat(deliveries.get()).isGreaterThanOrEqualTo(published.size() + lostAcks.size());
        assertThat(jobs).hasSize(COMMANDS).allMatch(j -> j.state() == JobState.SUCCEEDED);
        assertThat(jobs).extracting(Job::idempotencyKey).doesNotHaveDuplicates();
        assertThat(eventIdsPerKey)
            .hasSize(COMMANDS)
            .allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
        assertThat(events.distinct("org.synced", "ce-id")).isEqualTo(COMMANDS);
        assertThat(runRows).isEqualTo(COMMANDS);
        assertThat(distinctRuns).isEqualTo(COMMANDS);
        assertThat(keyRows).isEqualTo(COMMANDS);
      }
    }
  }
}
