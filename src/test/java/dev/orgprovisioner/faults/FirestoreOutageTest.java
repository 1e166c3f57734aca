package dev.orgprovisioner.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.pubsub.v1.AckReplyConsumer;
import com.google.pubsub.v1.PubsubMessage;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.ledger.FirestoreLedger;
import dev.orgprovisioner.messaging.HandWiredWorker;
import dev.orgprovisioner.messaging.MessagingConfig;
import dev.orgprovisioner.testing.SharedEmulators;
import dev.orgprovisioner.testing.TcpForwarder;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The worker's link to Firestore cut for 10 s (a TCP forwarder in front of the shared emulator
 * drops and refuses connections; Firestore keeps its data, as in a network outage) while commands
 * arrive: the intake holds each message for its retry window, then nacks it; Pub/Sub redelivers;
 * once the link is back every command is done exactly once and none reaches the DLQ.
 */
@Tag("faults")
class FirestoreOutageTest {

  private static final int BEFORE = 20;
  private static final int DURING = 20;
  private static final Duration OUTAGE = Duration.ofSeconds(10);

  @Test
  void firestoreDownWhileCommandsArrive_messagesAreNackedAndAllDoneAfterItReturns()
      throws Exception {
    long start = System.nanoTime();
    String prefix = FaultKit.unique("fsout");
    String host = SharedEmulators.pubSub().hostPort();
    // Held 4 s per delivery, then nacked; 15 deliveries outlast the outage.
    MessagingConfig topology =
        HandWiredWorker.topology(
            host,
            prefix,
            Map.of(
                "messaging.intake-retry-window-seconds", "4",
                "messaging.max-delivery-attempts", "15"));
    HandWiredWorker.createTopology(topology);
    Set<String> nacked = ConcurrentHashMap.newKeySet();
    AtomicInteger nacks = new AtomicInteger();
    AtomicBoolean down = new AtomicBoolean();

    try (TcpForwarder link = TcpForwarder.to(SharedEmulators.firestore().hostPort());
        Firestore db = SharedEmulators.firestoreClient(link.hostPort());
        DuckDbWarehouse duck = new DuckDbWarehouse(":memory:");
        FaultKit.Tap events = new FaultKit.Tap(host, topology.eventsTopic());
        FaultKit.Tap dlq = new FaultKit.Tap(host, topology.dlqTopic())) {
      FirestoreLedger ledger =
          new FirestoreLedger(
              db,
              new dev.orgprovisioner.ledger.LedgerSettings(
                  prefix + "_",
                  Duration.ofDays(7),
                  Duration.ofSeconds(30),
                  5,
                  Duration.ofSeconds(8),
                  java.time.Duration.ofDays(30),
                  java.time.Duration.ofDays(7)));
      HandWiredWorker.Options options =
          HandWiredWorker.Options.of(host, topology, ledger, duck, "fsout-worker")
              .withReplies(
                  (message, reply) ->
                      new AckReplyConsumer() {
                        @Override
                        public void ack() {
                          reply.ack();
                        }

                        @Override
                        public void nack() {
                          if (down.get()) {
                            nacks.incrementAndGet();
                            nacked.add(message.getMessageId());
                          }
                          reply.nack();
                        }
                      });
      try (HandWiredWorker worker = HandWiredWorker.start(options)) {
        worker.service.bootstrap(false);
        await()
            .atMost(Duration.ofMinutes(1))
            .ignoreExceptions()
            .until(() -> ledger.jobs(null, null, 1).isEmpty());
        FaultKit.publishAll(host, topology.commandsTopic(), commands(prefix, 0, BEFORE));
        await()
            .atMost(Duration.ofMinutes(2))
            .until(() -> events.distinct("org.synced", "idempotency-key") == BEFORE);

        down.set(true);
        link.cut();
        long stoppedAt = System.nanoTime();
        FaultKit.publishAll(host, topology.commandsTopic(), commands(prefix, BEFORE, DURING));
        // The outage lasts at least OUTAGE, and until every message has been nacked at least once.
        await()
            .pollDelay(OUTAGE)
            .atMost(OUTAGE.plusMinutes(2))
            .until(() -> nacked.size() >= DURING);
        link.restore();
        double outage = (System.nanoTime() - stoppedAt) / 1e9;
        down.set(false);
        int nacksDuringOutage = nacks.get();

        await()
            .atMost(Duration.ofMinutes(3))
            .until(() -> events.distinct("org.synced", "idempotency-key") == BEFORE + DURING);
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> ledger.jobs(JobState.SUCCEEDED, null, 100).size() == BEFORE + DURING);
        worker.flushAudit();

        List<Job> jobs = ledger.jobs(null, null, 100);
        List<Map<String, Object>> runs =
            duck.selectRows("organizations", "org_meta_pipeline_runs", Map.of(), 10_000).stream()
                .filter(r -> String.valueOf(r.get("org_slug")).startsWith(prefix))
                .toList();
        long distinctRunKeys =
            duck.selectRows("organizations", "org_idempotency_keys", Map.of(), 10_000).stream()
                .map(r -> String.valueOf(r.get("idempotency_key")))
                .filter(k -> k.startsWith(prefix))
                .distinct()
                .count();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("before-outage", BEFORE);
        counts.put("during-outage", DURING);
        counts.put("outage-s", String.format("%.1f", outage));
        counts.put("nacks", nacksDuringOutage);
        counts.put("nacked-messages", nacked.size());
        counts.put("dlq", dlq.received.size());
        counts.put("jobs", jobs.size());
        counts.put("terminal-events", events.ofType("org.synced").size());
        counts.put("distinct-event-ids", events.distinct("org.synced", "ce-id"));
        counts.put("audit-run-rows", runs.size());
        FaultKit.report("firestore-outage", counts, start);

        assertThat(nacked).hasSize(DURING);
        assertThat(dlq.received).isEmpty();
        assertThat(jobs).hasSize(BEFORE + DURING).allMatch(j -> j.state() == JobState.SUCCEEDED);
        assertThat(jobs).extracting(Job::idempotencyKey).doesNotHaveDuplicates();
        assertThat(events.distinct("org.synced", "ce-id")).isEqualTo(BEFORE + DURING);
        assertThat(runs).hasSize(BEFORE + DURING);
        assertThat(distinctRunKeys).isEqualTo(BEFORE + DURING);
      }
    }
  }

  private static List<PubsubMessage> commands(String prefix, int from, int count) {
    List<PubsubMessage> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      out.add(FaultKit.syncDryRun(prefix + "_org_" + i, prefix + "-cmd-" + i));
    }
    return out;
  }
}
