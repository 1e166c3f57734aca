package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.ledger.memory.InMemoryRollouts;
import dev.orgprovisioner.rollout.Rollout;
import dev.orgprovisioner.rollout.RolloutSpec;
import dev.orgprovisioner.rollout.RolloutStatus;
import dev.orgprovisioner.rollout.Wave;
import dev.orgprovisioner.rollout.WaveRun;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.EventSchemas;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The drift check over a DuckDB fleet with an org in every state, and the in-memory ledger. */
class DriftCheckerTest {

  private static final CommandDecoder DECODER =
      CommandDecoder.fromClasspath(DriftCheckerTest.class.getClassLoader(), 64 * 1024);

  private final Clock clock = Clock.systemUTC();
  private DuckDbWarehouse duck;
  private ProvisioningService service;
  private Ledger ledger;

  @BeforeEach
  void fleet() {
    duck = new DuckDbWarehouse(":memory:");
    service =
        new ProvisioningService(
            CatalogFixtures.minimal(), duck, new ProvisioningSettings(Environment.LOCAL, "EU"));
    ledger = LedgerFixtures.inMemory(Duration.ofSeconds(60));
    service.bootstrap(false);
    for (String org :
        List.of("in_sync", "missing_col", "missing_tab", "deleted", "retyped", "extra_col")) {
      duck.upsertRows(
          "organizations",
          "org_profiles",
          List.of("org_slug"),
          List.of(Map.of("org_slug", org, "status", "ACTIVE", "created_at", Instant.now())));
      service.syncOrg(OrgSlug.parse(org), false);
    }
    service.syncOrg(OrgSlug.parse("orphan"), false);
    duck.execute("ALTER TABLE missing_col_local.usage_daily DROP COLUMN amount");
    duck.execute("DROP TABLE missing_tab_local.invoices");
    duck.dropByHand("deleted_local");
    duck.execute("ALTER TABLE retyped_local.usage_daily ALTER COLUMN amount TYPE VARCHAR");
    duck.execute("ALTER TABLE extra_col_local.usage_daily ADD COLUMN hand_made VARCHAR");
  }

  @AfterEach
  void close() {
    duck.close();
  }

  private DriftChecker checker(int maxRepairs) {
    return new DriftChecker(
        service,
        ledger,
        new EventFactory("//test"),
        clock,
        new DriftChecker.Settings(maxRepairs, 3));
  }

  private Job checkJob(String id) {
    var envelope =
        ((DecodeResult.Accepted)
                DECODER.decode(
                    Map.of(
                        "ce-specversion", "1.0",
                        "ce-type", "drift.check.requested",
                        "ce-id", id,
                        "ce-source", "//scheduler"),
                    "{\"scope\":\"all\"}".getBytes(StandardCharsets.UTF_8),
                    null))
            .envelope();
    if (lastCheck != null) {
      // The earlier check ran outside a worker: hand back its hold on the drift lock.
      ledger.release(lastCheck.lease(), clock.instant());
    }
    lastCheck = LedgerFixtures.acceptAndLease(ledger, envelope, "w", clock.instant());
    return lastCheck;
  }

  private Job lastCheck;

  @SuppressWarnings("unchecked")
  private static Map<String, Integer> counts(Map<String, Object> summary) {
    return (Map<String, Integer>) summary.get("counts");
  }

  @Test
  void fleetWithEveryKindOfDrift_isClassifiedAndOnlyAdditiveDriftIsRepaired() {
    Job job = checkJob("check-1");

    Map<String, Object> summary = checker(50).run(job, new Command.DriftCheck(List.of(), true));

    assertThat(counts(summary))
        .containsEntry("SYNCED", 2)
        .containsEntry("OUT_OF_SYNC", 3)
        .containsEntry("PROFILE_ONLY", 1)
        .containsEntry("ORPHAN", 1);
    assertThat(summary)
        .containsEntry("repairs_queued", 3)
        .containsEntry("central_status", "SYNCED");
    assertThat(summary.get("orphans")).isEqualTo(List.of("orphan"));
    for (String org : List.of("missing_col", "missing_tab", "deleted")) {
      // Repairs queue behind onboardings (1) and customers' syncs (2).
      assertThat(ledger.jobs(JobState.QUEUED, org, 10))
          .as(org)
          .singleElement()
          .extracting(Job::priority)
          .isEqualTo(InternalCommands.DRIFT_REPAIR);
    }
    assertThat(ledger.jobs(null, "retyped", 10)).isEmpty();
    assertThat(ledger.unpublished(100))
        .filteredOn(e -> e.type().equals("drift.detected"))
        .extracting(OutboxEvent::orderingKey)
        .containsExactlyInAnyOrder("missing_col", "missing_tab", "deleted", "retyped");
    assertThat(ledger.unpublished(100))
        .filteredOn(e -> e.orderingKey().equals("retyped"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.data())
                    .contains("COLUMN_TYPE_CHANGED")
                    .contains("\"repair_queued\":false"));
    assertThat(ledger.unpublished(100))
        .filteredOn(e -> e.type().equals("drift.detected"))
        .allSatisfy(e -> assertThat(EventSchemas.violations("drift.detected", e.data())).isEmpty());
    assertThat(EventSchemas.violations("drift.check.completed", EventFactory.json(summary)))
        .isEmpty();
  }

  @Test
  void afterTheRepairsRan_theNextCheckReportsThemSyncedAndTheTypeChangeUntouched() {
    checker(50).run(checkJob("check-1"), new Command.DriftCheck(List.of(), true));
    for (String org : List.of("missing_col", "missing_tab", "deleted")) {
      service.syncOrg(OrgSlug.parse(org), false);
    }

    Map<String, Object> second =
        checker(50).run(checkJob("check-2"), new Command.DriftCheck(List.of(), true));

    assertThat(counts(second))
        .containsEntry("SYNCED", 5)
        .containsEntry("OUT_OF_SYNC", 1)
        .containsEntry("PROFILE_ONLY", 0);
    assertThat(second).containsEntry("repairs_queued", 0);
    assertThat(
            duck.freshSnapshot("retyped_local")
                .orElseThrow()
                .table("usage_daily")
                .orElseThrow()
                .columns())
        .filteredOn(c -> c.name().equals("amount"))
        .singleElement()
        .satisfies(c -> assertThat(c.type().name()).isEqualTo("STRING"));
  }

  /** A roll-out whose current wave (the first) holds these orgs, stored with this status. */
  private InMemoryRollouts rolloutOwning(RolloutStatus status, String... orgs) {
    InMemoryRollouts rollouts = new InMemoryRollouts();
    RolloutSpec spec =
        new RolloutSpec(
            "add-amount",
            "1",
            List.of(new Wave.Canary(List.of(orgs)), new Wave.Share(1)),
            Duration.ZERO,
            0,
            10);
    Instant now = clock.instant();
    Rollout rollout =
        Rollout.started(spec, "driver-1", now).withCurrentRun(WaveRun.of(List.of(orgs)), now);
    rollouts.create(status.active() ? rollout : rollout.ended(status, List.of("halted"), now));
    return rollouts;
  }

  @Test
  void orgsOfARunningRolloutsCurrentWave_areReportedRolloutOwned_andLeftToTheRollout() {
    DriftChecker checker =
        new DriftChecker(
            service,
            ledger,
            new EventFactory("//test"),
            clock,
            new DriftChecker.Settings(50, 3),
            rolloutOwning(RolloutStatus.RUNNING, "missing_col", "in_sync"));

    Map<String, Object> summary =
        checker.run(checkJob("check-owned"), new Command.DriftCheck(List.of(), true));

    assertThat(summary)
        .containsEntry("rollout_owned", 2)
        .containsEntry("rollout_id", "add-amount")
        .containsEntry("repairs_queued", 2);
    assertThat(summary.get("rollout_owned_orgs")).isEqualTo(List.of("in_sync", "missing_col"));
    assertThat(counts(summary)).containsEntry("OUT_OF_SYNC", 3).containsEntry("SYNCED", 2);
    assertThat(ledger.jobs(null, "missing_col", 10)).isEmpty();
    assertThat(ledger.jobs(JobState.QUEUED, "missing_tab", 10)).hasSize(1);
    assertThat(ledger.unpublished(100))
        .filteredOn(e -> e.orderingKey().equals("missing_col"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.data())
                  .contains("\"rollout_owned\":true")
                  .contains("\"repair_queued\":false");
              assertThat(EventSchemas.violations("drift.detected", e.data())).isEmpty();
            });
    assertThat(EventSchemas.violations("drift.check.completed", EventFactory.json(summary)))
        .isEmpty();
  }

  @Test
  void aHaltedRollout_ownsNoOrg_theCheckRepairsItsWaveAsUsual() {
    DriftChecker checker =
        new DriftChecker(
            service,
            ledger,
            new EventFactory("//test"),
            clock,
            new DriftChecker.Settings(50, 3),
            rolloutOwning(RolloutStatus.HALTED, "missing_col"));

    Map<String, Object> summary =
        checker.run(checkJob("check-halted"), new Command.DriftCheck(List.of(), true));

    assertThat(summary).containsEntry("rollout_owned", 0).containsEntry("repairs_queued", 3);
    assertThat(summary).doesNotContainKey("rollout_id");
    assertThat(ledger.jobs(JobState.QUEUED, "missing_col", 10)).hasSize(1);
  }

  @Test
  void repairCap_limitsTheRepairsQueuedByOneCheck() {
    Map<String, Object> summary =
        checker(1).run(checkJob("check-cap"), new Command.DriftCheck(List.of(), true));

    assertThat(summary)
        .containsEntry("repairs_queued", 1)
        .containsEntry("repairs_skipped_by_cap", 2);
  }

  @Test
  void retriedCheck_queuesNoRepairTwice() {
    Job job = checkJob("check-retry");
    checker(50).run(job, new Command.DriftCheck(List.of(), true));

    Map<String, Object> again = checker(50).run(job, new Command.DriftCheck(List.of(), true));

    assertThat(again).containsEntry("repairs_queued", 0);
    assertThat(ledger.jobs(JobState.QUEUED, "missing_col", 10)).hasSize(1);
  }

  @Test
  void withoutAutoRepair_nothingIsQueued() {
    Map<String, Object> summary =
        checker(50).run(checkJob("check-report"), new Command.DriftCheck(List.of(), false));

    assertThat(summary).containsEntry("repairs_queued", 0);
    assertThat(ledger.jobs(JobState.QUEUED, null, 10)).isEmpty();
  }

  /** The minimal catalog's profiles have no location column; the project's have. */
  private void recordLocation(String org, String location) {
    duck.execute(
        "ALTER TABLE organizations.org_profiles ADD COLUMN IF NOT EXISTS dataset_location VARCHAR");
    duck.execute(
        "UPDATE organizations.org_profiles SET dataset_location = '"
            + location
            + "' WHERE org_slug = '"
            + org
            + "'");
  }

  @Test
  void datasetOutsideItsRecordedLocation_isReportedAsNonAdditiveDrift_andNeverRepaired() {
    recordLocation("in_sync", "US");

    Map<String, Object> summary =
        checker(50).run(checkJob("check-location"), new Command.DriftCheck(List.of(), true));

    assertThat(counts(summary)).containsEntry("SYNCED", 1).containsEntry("OUT_OF_SYNC", 4);
    assertThat(ledger.jobs(null, "in_sync", 10)).isEmpty();
    assertThat(ledger.unpublished(100))
        .filteredOn(e -> e.orderingKey().equals("in_sync"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.data())
                  .contains("DATASET_LOCATION_CHANGED", "\"expected\":\"US\"")
                  .contains("\"observed\":\"EU\"", "\"repair_queued\":false");
              assertThat(EventSchemas.violations("drift.detected", e.data())).isEmpty();
            });
  }

  @Test
  void orgsBeingOffboarded_areNeitherRepairedNorOrphans() {
    for (String[] leaving :
        List.of(
            new String[] {"missing_col", "OFFBOARDING"}, new String[] {"deleted", "OFFBOARDED"})) {
      duck.upsertRows(
          "organizations",
          "org_profiles",
          List.of("org_slug"),
          List.of(Map.of("org_slug", leaving[0], "status", leaving[1])));
    }

    Map<String, Object> summary =
        checker(50).run(checkJob("check-leaving"), new Command.DriftCheck(List.of(), true));

    assertThat(counts(summary))
        .containsEntry("OUT_OF_SYNC", 2)
        .containsEntry("PROFILE_ONLY", 0)
        .containsEntry("ORPHAN", 1);
    assertThat(summary)
        .containsEntry("offboarding_skipped", 2)
        .containsEntry("orphans", List.of("orphan"))
        .containsEntry("repairs_queued", 1);
    assertThat(ledger.jobs(null, "missing_col", 10)).isEmpty();
    assertThat(ledger.jobs(null, "deleted", 10)).isEmpty();
  }

  @Test
  void repairOfADeletedDataset_recreatesItInItsRecordedLocation() {
    recordLocation("deleted", "US");
    checker(50).run(checkJob("check-recreate"), new Command.DriftCheck(List.of(), true));
    Job repair = ledger.jobs(JobState.QUEUED, "deleted", 10).get(0);

    new ProvisioningJobs(service, clock)
        .run(repair, new dev.orgprovisioner.testing.AttemptsStepLog().nextAttempt());

    assertThat(duck.freshSnapshot("deleted_local").orElseThrow().location()).isEqualTo("US");
    assertThat(service.orgStatus(OrgSlug.parse("deleted")).status())
        .isEqualTo(dev.orgprovisioner.plan.SyncStatus.SYNCED);
  }
}
