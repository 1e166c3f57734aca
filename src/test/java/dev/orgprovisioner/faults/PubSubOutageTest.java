package dev.orgprovisioner.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.firestore.Firestore;
import com.google.pubsub.v1.PubsubMessage;
import dev.orgprovisioner.execution.ExecutionSettings;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Pub/Sub is unreachable for the events while jobs finish: their terminal events stay unpublished
 * in the outbox; once it is reachable again, the relay's sweep delivers each exactly once.
 */
@Tag("faults")
class PubSubOutageTest {

  private static final int COMMANDS = 20;

  @Test
  void eventsPubSubDownWhileJobsFinish_relayDeliversEveryEventOnceAfterRecovery() throws Exception {
    long start = System.nanoTime();
    String prefix = FaultKit.unique("psout");
    String host = SharedEmulators.pubSub().hostPort();
    MessagingConfig topology = HandWiredWorker.topology(host, prefix, Map.of());
    HandWiredWorker.createTopology(topology);

    // The events reach Pub/Sub through a forwarder the test cuts: an outage of the network, the
    // emulator keeping its topics, so the test's subscription sees every event that gets through.
    try (TcpForwarder eventsLink = TcpForwarder.to(host);
        FaultKit.Tap events = new FaultKit.Tap(host, topology.eventsTopic());
        Firestore db = SharedEmulators.firestoreClient();
        DuckDbWarehouse duck = new DuckDbWarehouse(":memory:")) {
      FirestoreLedger ledger = SharedEmulators.freshLedger(db, "psout", Duration.ofSeconds(30));
      // No periodic sweep: the test hands waiting jobs over and runs the relay's sweep itself.
      HandWiredWorker.Options options =
          HandWiredWorker.Options.of(host, topology, ledger, duck, "psout-worker")
              .withEventsOn(eventsLink.hostPort())
              .withExecution(
                  new ExecutionSettings(
                      4,
                      6,
                      Duration.ofMillis(50),
                      Duration.ofMillis(500),
                      Duration.ofHours(1),
                      Duration.ofSeconds(5),
                      Duration.ofSeconds(5),
                      Duration.ofSeconds(1),
                      Duration.ofMinutes(5)));
      try (HandWiredWorker worker = HandWiredWorker.start(options)) {
        worker.service.bootstrap(false);
        eventsLink.cut();
        List<PubsubMessage> commands = new ArrayList<>();
        for (int i = 0; i < COMMANDS; i++) {
          commands.add(FaultKit.syncDryRun(prefix + "_org_" + i, prefix + "-cmd-" + i));
        }
        FaultKit.publishAll(host, topology.commandsTopic(), commands);

        // A burst of 20 jobs can overflow the hints (4 per worker); the pool's sweep would hand the
        // dropped ones over, but it also re-sends events, which the test does itself below. So
        // the waiting jobs are handed over here instead.
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> {
                  ledger.jobs(JobState.QUEUED, null, 100).forEach(worker.pool::dispatch);
                  return ledger.jobs(JobState.SUCCEEDED, null, 100).size() == COMMANDS;
                });
        int unpublishedDuringOutage = ledger.unpublished(100).size();
        int seenDuringOutage = events.received.size();

        eventsLink.restore();
        AtomicInteger sweeps = new AtomicInteger();
        // The relay's sweep, as the worker's timer would run it, until the outbox is empty.
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(2))
            .until(
                () -> {
                  if (ledger.unpublished(100).isEmpty()) {
                    return true;
                  }
                  worker.relay.sweep(100);
                  sweeps.incrementAndGet();
                  return false;
                });
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> events.distinct("org.synced", "ce-id") == COMMANDS);

        Map<String, Long> perEventId =
            FaultKit.countBy(events.ofType("org.synced"), e -> e.attributes().get("ce-id"));
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("jobs", COMMANDS);
        counts.put("unpublished-during-outage", unpublishedDuringOutage);
        counts.put("relay-sweeps", sweeps.get());
        counts.put("delivered", events.received.size());
        counts.put("distinct-event-ids", perEventId.size());
        counts.put("delivered-twice", perEventId.values().stream().filter(n -> n > 1).count());
        counts.put("unpublished-after", ledger.unpublished(100).size());
        FaultKit.report("pubsub-outage", counts, start);

        assertThat(unpublishedDuringOutage).isEqualTo(COMMANDS);
        assertThat(seenDuringOutage).isZero();
        assertThat(ledger.unpublished(100)).isEmpty();
        assertThat(perEventId).hasSize(COMMANDS).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        assertThat(events.received).hasSize(COMMANDS);
      }
    }
  }
}
