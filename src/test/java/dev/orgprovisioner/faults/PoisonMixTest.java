package dev.orgprovisioner.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.emulator.EmulatorProcess;
import dev.orgprovisioner.emulator.Emulators;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.ledger.memory.InMemoryLedger;
import dev.orgprovisioner.messaging.HandWiredWorker;
import dev.orgprovisioner.messaging.MessagingConfig;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.PubSubTestClient.Received;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 200 invalid commands of every malformed kind mixed into 1,000 valid ones: each invalid one is in
 * the DLQ with its rejection code and field (and answered by one command.rejected event), each
 * valid one is done exactly once.
 *
 * <p>The ledger is the in-memory one: what is tested here is the intake's sorting on the real
 * Pub/Sub path, and {@code LedgerContractTest} holds both ledgers to the same claims (concurrent
 * ones included); the volume of claims on the Firestore emulator is {@code DuplicatesStormTest}'s.
 */
@Tag("faults")
class PoisonMixTest {

  private static final int VALID = 1_000;
  private static final int INVALID = 200;
  private static final int ORGS = 100;
  private static final String CASE = "x-fault-case";

  @Test
  void invalidCommandsAmongValidOnes_allInTheDlqWithReasons_allValidDone() throws Exception {
    long start = System.nanoTime();
    String prefix = FaultKit.unique("poison");
    // A Pub/Sub emulator of its own: it keeps a thread per ordering key (docs/stack-facts.md).
    EmulatorProcess pubSub = Emulators.startPubSub();
    String host = pubSub.hostPort();
    MessagingConfig topology = HandWiredWorker.topology(host, prefix, Map.of());
    HandWiredWorker.createTopology(topology);

    try (pubSub;
        DuckDbWarehouse duck = new DuckDbWarehouse(":memory:");
        FaultKit.Tap events = new FaultKit.Tap(host, topology.eventsTopic());
        FaultKit.Tap dlq = new FaultKit.Tap(host, topology.dlqTopic())) {
      InMemoryLedger ledger = LedgerFixtures.inMemory(Duration.ofSeconds(30));
      try (HandWiredWorker worker =
          HandWiredWorker.start(
              HandWiredWorker.Options.of(host, topology, ledger, duck, "poison-worker"))) {
        worker.service.bootstrap(false);
        List<PubsubMessage> invalid = new ArrayList<>();
        Map<String, MalformedCommands.Case> expected = new HashMap<>();
        for (int round = 0; invalid.size() < INVALID; round++) {
          String org = prefix + "_org_" + (round % ORGS);
          for (MalformedCommands.Case c : MalformedCommands.all(org, prefix + "-bad-" + round)) {
            if (invalid.size() == INVALID) {
              break;
            }
            String caseId = String.valueOf(invalid.size());
            expected.put(caseId, c);
            PubsubMessage.Builder m =
                PubsubMessage.newBuilder()
                    .putAllAttributes(c.attributes())
                    .putAttributes(CASE, caseId)
                    .setData(ByteString.copyFrom(c.data()));
            if (c.orderingKey() != null) {
              m.setOrderingKey(c.orderingKey());
            }
            invalid.add(m.build());
          }
        }
        List<PubsubMessage> mixed = new ArrayList<>();
        for (int i = 0; i < VALID; i++) {
          mixed.add(FaultKit.syncDryRun(prefix + "_org_" + (i % ORGS), prefix + "-ok-" + i));
          if (i % 5 == 4) {
            mixed.add(invalid.get(i / 5));
          }
        }
        FaultKit.publishAll(host, topology.commandsTopic(), mixed);

        await()
            .atMost(Duration.ofMinutes(8))
            .until(
                () ->
                    events.distinct("org.synced", "idempotency-key") == VALID
                        && dlq.received.stream()
                                .map(d -> d.attributes().get(CASE))
                                .distinct()
                                .count()
                            == INVALID);
        await()
            .atMost(Duration.ofMinutes(3))
            .until(() -> events.distinct("command.rejected", "ce-id") >= INVALID);

        List<Job> jobs = LedgerFixtures.allJobs(ledger, null, null);
        Map<String, Long> wrongReasons = new LinkedHashMap<>();
        for (Received d : dlq.received) {
          MalformedCommands.Case c = expected.get(d.attributes().get(CASE));
          boolean right =
              c != null
                  && c.code().name().equals(d.attributes().get("rejection-code"))
                  && c.field().equals(d.attributes().get("rejection-field"))
                  && !d.attributes().getOrDefault("rejection-message", "").isBlank();
          if (!right) {
            wrongReasons.merge(String.valueOf(c), 1L, Long::sum);
          }
        }
        Map<String, Long> perCode =
            FaultKit.countBy(dlq.received, d -> d.attributes().get("rejection-code"));

        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("published", mixed.size());
        counts.put("invalid", INVALID);
        counts.put("dlq", dlq.received.size());
        counts.put("dlq-codes", perCode);
        counts.put("wrong-reasons", wrongReasons.size());
        counts.put("rejected-events", events.distinct("command.rejected", "ce-id"));
        counts.put("jobs", jobs.size());
        counts.put("terminal-events", events.distinct("org.synced", "ce-id"));
        FaultKit.report("poison-mix", counts, start);

        assertThat(wrongReasons).isEmpty();
        // The publisher client may send a message twice under load (a new message id): each
        // dead-lettered message is answered by exactly one rejection event.
        long deadLettered =
            dlq.received.stream()
                .map(d -> d.attributes().get("original-message-id"))
                .distinct()
                .count();
        assertThat(events.distinct("command.rejected", "ce-id")).isEqualTo(deadLettered);
        assertThat(dlq.received.stream().map(d -> d.attributes().get(CASE)).distinct())
            .hasSize(INVALID);
        assertThat(perCode).hasSizeGreaterThanOrEqualTo(8);
        assertThat(jobs).hasSize(VALID).allMatch(j -> j.state() == JobState.SUCCEEDED);
        assertThat(jobs)
            .extracting(Job::idempotencyKey)
            .doesNotHaveDuplicates()
            .allMatch(k -> k.startsWith(prefix + "-ok-"));
        assertThat(events.distinct("org.synced", "ce-id")).isEqualTo(VALID);
      }
    }
  }
}
