package dev.orgprovisioner.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.firestore.Firestore;
import com.google.pubsub.v1.PubsubMessage;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.ledger.FirestoreLedger;
import dev.orgprovisioner.messaging.HandWiredWorker;
import dev.orgprovisioner.messaging.MessagingConfig;
import dev.orgprovisioner.plan.SyncStatus;
import dev.orgprovisioner.testing.FaultyWarehouse;
import dev.orgprovisioner.testing.SharedEmulators;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Onboardings through Pub/Sub while 20 % of all warehouse calls fail transiently and every metadata
 * call takes 20 ms more: all complete, with retries bounded per call and per job.
 */
@Tag("faults")
class WarehouseFaultsTest {

  private static final int ORGS = 12;
  private static final int MAX_ATTEMPTS = 6;

  @Test
  void twentyPercentTransientErrorsAndLatency_allOnboardingsCompleteWithBoundedRetries()
      throws Exception {
    long start = System.nanoTime();
    String prefix = FaultKit.unique("flaky");
    String host = SharedEmulators.pubSub().hostPort();
    MessagingConfig topology = HandWiredWorker.topology(host, prefix, Map.of());
    HandWiredWorker.createTopology(topology);

    try (Firestore db = SharedEmulators.firestoreClient();
        DuckDbWarehouse duck = new DuckDbWarehouse(":memory:");
        FaultKit.Tap events = new FaultKit.Tap(host, topology.eventsTopic())) {
      FirestoreLedger ledger = SharedEmulators.freshLedger(db, "flaky", Duration.ofSeconds(30));
      FaultyWarehouse warehouse = new FaultyWarehouse(duck);
      try (HandWiredWorker worker =
          HandWiredWorker.start(
              HandWiredWorker.Options.of(host, topology, ledger, warehouse, "flaky-worker"))) {
        worker.service.bootstrap(false);
        // What one onboarding costs without faults: the yardstick for "bounded".
        int before = warehouse.calls.get();
        FaultKit.publishAll(
            host,
            topology.commandsTopic(),
            List.of(FaultKit.onboard(prefix + "_yardstick", prefix + "-yardstick")));
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> events.distinct("org.onboarded", "idempotency-key") == 1);
        int cleanCalls = warehouse.calls.get() - before;

        warehouse.transientRate(0.2).delay(Duration.ofMillis(20));
        int callsBefore = warehouse.calls.get();
        List<String> orgs = new ArrayList<>();
        List<PubsubMessage> commands = new ArrayList<>();
        for (int i = 0; i < ORGS; i++) {
          orgs.add(prefix + "_org_" + i);
          commands.add(FaultKit.onboard(orgs.get(i), prefix + "-onboard-" + i));
        }
        FaultKit.publishAll(host, topology.commandsTopic(), commands);

        await()
            .atMost(Duration.ofMinutes(4))
            .until(
                () ->
                    ledger.jobs(null, null, 100).stream()
                            .filter(j -> j.state().isTerminal())
                            .count()
                        == ORGS + 1);
        warehouse.transientRate(0).delay(Duration.ZERO);
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> events.distinct("org.onboarded", "idempotency-key") == ORGS + 1);
        int calls = warehouse.calls.get() - callsBefore;
        List<Job> jobs =
            ledger.jobs(null, null, 100).stream()
                .filter(j -> !j.orgSlug().endsWith("_yardstick"))
                .toList();

        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("onboardings", ORGS);
        counts.put("transient-rate", "20%");
        counts.put("added-latency-ms", 20);
        counts.put("injected-faults", warehouse.injected.get());
        counts.put("warehouse-calls", calls);
        counts.put("calls-per-clean-onboarding", cleanCalls);
        counts.put("attempts-per-job", jobs.stream().map(Job::attempts).sorted().toList());
        counts.put("succeeded", jobs.stream().filter(j -> j.state() == JobState.SUCCEEDED).count());
        counts.put("terminal-events", events.ofType("org.onboarded").size() - 1);
        counts.put("central-rows", FaultKit.centralRowTotals(duck, orgs));
        FaultKit.report("warehouse-faults", counts, start);

        assertThat(warehouse.injected.get()).isPositive();
        assertThat(jobs).hasSize(ORGS).allMatch(j -> j.state() == JobState.SUCCEEDED);
        assertThat(jobs).allMatch(j -> j.attempts() <= MAX_ATTEMPTS);
        // Per-call retries absorb most faults: well under twice the clean cost per onboarding.
        assertThat(calls).isLessThan(2 * cleanCalls * ORGS);
        assertThat(events.distinct("org.onboarded", "ce-id")).isEqualTo(ORGS + 1);
        assertThat(FaultKit.centralRowsNotOnce(duck, orgs, false))
            .as("orgs whose central rows are missing or doubled")
            .isEmpty();
        for (String org : orgs) {
          assertThat(worker.service.orgStatus(OrgSlug.parse(org)).status())
              .isEqualTo(SyncStatus.SYNCED);
        }
        // The audit trail of every job: one run row, each step once, despite the retries.
        worker.flushAudit();
        for (Job job : jobs) {
          assertThat(
                  duck.selectRows(
                      "organizations",
                      "org_meta_pipeline_runs",
                      Map.of("pipeline_logging_id", job.id()),
                      10))
              .as("run rows of job %s", job.id())
              .singleElement()
              .satisfies(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
          assertThat(
                  duck
                      .selectRows(
                          "organizations",
                          "org_meta_step_logs",
                          Map.of("pipeline_logging_id", job.id()),
                          10)
                      .stream()
                      .map(r -> r.get("step_name"))
                      .toList())
              .as("step rows of job %s", job.id())
              .doesNotHaveDuplicates()
              .isNotEmpty();
        }
      }
    }
  }
}
