package dev.orgprovisioner.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.firestore.Firestore;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.command.MessageLimits;
import dev.orgprovisioner.emulator.EmulatorProcess;
import dev.orgprovisioner.emulator.Emulators;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.messaging.DeadLetterMessage;
import dev.orgprovisioner.messaging.DeadLetterQueue;
import dev.orgprovisioner.messaging.HandWiredWorker;
import dev.orgprovisioner.messaging.MessagingConfig;
import dev.orgprovisioner.testing.ClaimFaults;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.PubSubTestClient.Received;
import dev.orgprovisioner.testing.SharedEmulators;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every malformed kind (line terminators, attribute floods, oversized keys and values, bad JSON,
 * wrong types, …) and a command the ledger refuses, interleaved with valid commands of the same
 * orgs so they share claim batches: each bad one is dead-lettered exactly once on its first
 * delivery with its field, each valid one is done, and a replay restores enveloped attributes.
 */
@Tag("faults")
class PoisonFirstDeliveryTest {

  private static final int VALID = 300;
  private static final int ORGS = 30;
  private static final String CASE = "x-fault-case";

  private record Expected(String name, String code, String field) {}

  @Test
  void everyMalformedKind_isRejectedOnItsFirstDelivery_onceEach_andTheValidOnesAreDone()
      throws Exception {
    long start = System.nanoTime();
    String prefix = FaultKit.unique("first");
    EmulatorProcess pubSub = Emulators.startPubSub();
    String host = pubSub.hostPort();
    MessagingConfig topology = HandWiredWorker.topology(host, prefix, Map.of());
    HandWiredWorker.createTopology(topology);
    ClaimFaults faults = new ClaimFaults();
    String refusedOrg = prefix + "_refused";
    faults.refusedOrgs.add(refusedOrg);

    try (pubSub;
        Firestore db = SharedEmulators.firestoreClient();
        DuckDbWarehouse duck = new DuckDbWarehouse(":memory:");
        FaultKit.Tap events = new FaultKit.Tap(host, topology.eventsTopic());
        FaultKit.Tap dlq = new FaultKit.Tap(host, topology.dlqTopic())) {
      Ledger ledger =
          faults.around(SharedEmulators.freshLedger(db, "first", Duration.ofSeconds(30)));
      try (HandWiredWorker worker =
          HandWiredWorker.start(
              HandWiredWorker.Options.of(host, topology, ledger, duck, "first-worker"))) {
        worker.service.bootstrap(false);
        Map<String, Expected> expected = new LinkedHashMap<>();
        List<PubsubMessage> invalid = new ArrayList<>();
        List<MalformedCommands.Case> kinds = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
          String org = prefix + "_org_" + round;
          kinds = MalformedCommands.all(org, prefix + "-bad-" + round);
          for (MalformedCommands.Case c : kinds) {
            String caseId = String.valueOf(invalid.size());
            expected.put(caseId, new Expected(c.name(), c.code().name(), c.field()));
            invalid.add(withCase(c.attributes(), c.data(), c.orderingKey(), caseId));
          }
        }
        // Well-formed, but the ledger refuses its claim for good.
        String refusedCase = String.valueOf(invalid.size());
        expected.put(refusedCase, new Expected("refused by the ledger", "LEDGER_REJECTED", "data"));
        PubsubMessage refused = FaultKit.onboard(refusedOrg, prefix + "-refused");
        invalid.add(
            withCase(
                refused.getAttributesMap(),
                refused.getData().toByteArray(),
                refusedOrg,
                refusedCase));
        assertThat(kinds).hasSizeGreaterThanOrEqualTo(25);

        List<PubsubMessage> mixed = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < VALID; i++) {
          mixed.add(FaultKit.syncDryRun(prefix + "_org_" + (i % ORGS), prefix + "-ok-" + i));
          if (i % 3 == 2 && next < invalid.size()) {
            mixed.add(invalid.get(next++));
          }
        }
        while (next < invalid.size()) {
          mixed.add(invalid.get(next++));
        }
        FaultKit.publishAll(host, topology.commandsTopic(), mixed);

        await()
            .atMost(Duration.ofMinutes(6))
            .until(
                () ->
                    events.distinct("org.synced", "idempotency-key") == VALID
                        && cases(dlq.received).size() == expected.size());
        await()
            .atMost(Duration.ofMinutes(2))
            .until(() -> events.distinct("command.rejected", "ce-id") >= expected.size());

        Map<String, List<Received>> byCase = cases(dlq.received);
        Map<String, String> wrong = new LinkedHashMap<>();
        for (Map.Entry<String, Expected> e : expected.entrySet()) {
          List<Received> copies = byCase.getOrDefault(e.getKey(), List.of());
          Expected x = e.getValue();
          boolean right =
              copies.size() == 1
                  && x.code().equals(copies.get(0).attributes().get("rejection-code"))
                  && x.field().equals(copies.get(0).attributes().get("rejection-field"))
                  && "1".equals(copies.get(0).attributes().get("delivery-attempts"))
                  && copies.get(0).attributes().size() <= MessageLimits.MAX_ATTRIBUTES;
          if (!right) {
            wrong.put(
                x.name(),
                copies.stream()
                    .map(
                        r ->
                            r.attributes().get("rejection-code")
                                + "/"
                                + r.attributes().get("rejection-field")
                                + "/attempt "
                                + r.attributes().get("delivery-attempts"))
                    .toList()
                    .toString());
          }
        }
        List<Job> jobs = LedgerFixtures.allJobs(ledger, null, null);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("published", mixed.size());
        counts.put("malformed-kinds", kinds.size());
        counts.put("invalid", expected.size());
        counts.put("dlq", dlq.received.size());
        counts.put("wrong", wrong.size());
        counts.put("rejected-events", events.distinct("command.rejected", "ce-id"));
        counts.put("largest-claim-batch", faults.transactionSizes.stream().mapToInt(i -> i).max());
        counts.put("jobs", jobs.size());
        FaultKit.report("poison-first-delivery", counts, start);

        assertThat(wrong).as("malformed commands rejected wrongly or more than once").isEmpty();
        assertThat(dlq.received).hasSize(expected.size());
        assertThat(events.distinct("command.rejected", "ce-id")).isEqualTo(expected.size());
        assertThat(jobs).hasSize(VALID).allMatch(j -> j.state() == JobState.SUCCEEDED);
        assertThat(faults.transactionSizes).anyMatch(size -> size > 1);

        // The near-limit flood did not fit next to the dead-letter attributes: enveloped, whole.
        String floodCase =
            caseNamed(expected, "flood of " + MalformedCommands.NEAR_LIMIT_ATTRIBUTES);
        Received flood = byCase.get(floodCase).get(0);
        assertThat(flood.attributes())
            .containsEntry(DeadLetterMessage.ENVELOPE, DeadLetterMessage.ENVELOPE_V1);
        DeadLetterMessage.Restored restored = restore(flood);
        PubsubMessage original = invalid.get(Integer.parseInt(floodCase));
        original
            .getAttributesMap()
            .forEach((k, v) -> assertThat(restored.original(k)).isEqualTo(v));
        assertThat(restored.data()).isEqualTo(original.getData().toByteArray());

        // Replayed, the flood reaches the intake with its original data and attributes again.
        try (DeadLetterQueue queue =
            DeadLetterQueue.open(
                Optional.of(host),
                topology.projectId(),
                topology.dlqSubscription(),
                topology.commandsTopic())) {
          List<DeadLetterQueue.DeadLetter> listed =
              queue.list(new DeadLetterQueue.Filter(null, null, "INVALID_SLUG"), 1_000);
          assertThat(listed).anyMatch(d -> d.envelopedAttributes() > 0 && d.type() != null);
          DeadLetterQueue.ReplayReport report =
              queue.replay(
                  new DeadLetterQueue.Filter(null, null, "INVALID_SLUG"),
                  1_000,
                  true,
                  false,
                  n -> {});
          assertThat(report.ok()).isTrue();
          // Exactly what was there: the replayed commands rejected again are not replayed again.
          assertThat(report.replayed()).hasSameSizeAs(listed);
        }
        await()
            .atMost(Duration.ofMinutes(2))
            .until(() -> cases(dlq.received).get(floodCase).size() == 2);
        Received again = cases(dlq.received).get(floodCase).get(1);
        DeadLetterMessage.Restored replayed = restore(again);
        original
            .getAttributesMap()
            .forEach((k, v) -> assertThat(replayed.original(k)).isEqualTo(v));
        assertThat(replayed.original("replay-count")).isEqualTo("1");
        assertThat(replayed.data()).isEqualTo(original.getData().toByteArray());
        assertThat(again.attributes()).containsEntry("delivery-attempts", "1");
      }
    }
  }

  private static PubsubMessage withCase(
      Map<String, String> attributes, byte[] data, String orderingKey, String caseId) {
    PubsubMessage.Builder m =
        PubsubMessage.newBuilder()
            .putAllAttributes(attributes)
            .putAttributes(CASE, caseId)
            .setData(ByteString.copyFrom(data));
    if (orderingKey != null) {
      m.setOrderingKey(orderingKey);
    }
    return m.build();
  }

  /** Dead letters by the test case they carry (in their attributes or their envelope). */
  private static Map<String, List<Received>> cases(List<Received> deadLetters) {
    return deadLetters.stream()
        .collect(
            Collectors.groupingBy(
                d -> String.valueOf(restore(d).original(CASE)),
                LinkedHashMap::new,
                Collectors.toList()));
  }

  private static DeadLetterMessage.Restored restore(Received d) {
    return DeadLetterMessage.restore(d.data().getBytes(StandardCharsets.UTF_8), d.attributes());
  }

  private static String caseNamed(Map<String, Expected> expected, String prefix) {
    return expected.entrySet().stream()
        .filter(e -> e.getValue().name().startsWith(prefix))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }
}
