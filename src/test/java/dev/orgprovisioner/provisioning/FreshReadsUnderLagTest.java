package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.plan.SyncStatus;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.EventSchemas;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.warehouse.bigquery.BigQuerySettings;
import dev.orgprovisioner.warehouse.bigquery.BigQueryStub;
import dev.orgprovisioner.warehouse.bigquery.BigQueryWarehouse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plans before applying, the status of a terminal event and the drift check's repairs rest on fresh
 * reads while BigQuery's INFORMATION_SCHEMA lags the REST state (the stub's lag mode).
 */
class FreshReadsUnderLagTest {

  private static final String PROJECT = "test-project";
  private static final String TABLE = "subscription_plans";

  private final Clock clock = Clock.systemUTC();
  private BigQueryStub stub;
  private BigQueryWarehouse warehouse;
  private ProvisioningService service;
  private ProvisioningJobs jobs;
  private Ledger ledger;

  @BeforeEach
  void start() {
    stub = BigQueryStub.start();
    warehouse =
        BigQueryWarehouse.create(
            new BigQuerySettings(
                PROJECT,
                "EU",
                Optional.of(stub.host()),
                1L << 30,
                4,
                Duration.ofSeconds(10),
                Duration.ofSeconds(60)));
    service =
        new ProvisioningService(
            CatalogFixtures.project(),
            warehouse,
            new ProvisioningSettings(Environment.LOCAL, "EU"));
    jobs = new ProvisioningJobs(service, clock);
    ledger = LedgerFixtures.inMemory(Duration.ofSeconds(60));
  }

  @AfterEach
  void stop() {
    warehouse.close();
    stub.close();
  }

  private JobResult run(Job job) {
    return jobs.run(job, new AttemptsStepLog().nextAttempt());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> data(JobResult result) {
    return (Map<String, Object>) result.data();
  }

  @SuppressWarnings("unchecked")
  private static List<String> applied(JobResult result) {
    return (List<String>) data(result).get("applied");
  }

  private static String dataset(String org) {
    return org + "_local";
  }

  /** The plan the lagging bulk read would give. */
  private dev.orgprovisioner.plan.Plan bulkPlan(String org) {
    return Planner.plan(
        service.desiredOrg(OrgSlug.parse(org), RecordedDataset.NONE),
        Optional.ofNullable(warehouse.bulkSnapshot(List.of(dataset(org))).get(dataset(org))),
        warehouse::viewSql);
  }

  @Test
  void syncRightAfterATableWasRecreated_appliesNothingTheLaggingBulkReadWouldRedo() {
    run(JobHarness.onboard("acme", null));
    stub.dropTable(PROJECT, dataset("acme"), TABLE);
    stub.lagInformationSchema(); // from now on INFORMATION_SCHEMA lacks the table

    JobResult first = run(JobHarness.sync("acme", false));
    JobResult second = run(JobHarness.sync("acme", false));

    assertThat(applied(first)).containsExactly("create table " + dataset("acme") + "." + TABLE);
    assertThat(applied(second)).isEmpty();
    assertThat(bulkPlan("acme").steps())
        .extracting(s -> s.describe())
        .containsExactly("create table " + dataset("acme") + "." + TABLE);
  }

  @Test
  void syncRightAfterATableWasDropped_createsIt_thoughTheLaggingBulkReadStillShowsIt() {
    run(JobHarness.onboard("acme", null));
    stub.lagInformationSchema(); // INFORMATION_SCHEMA keeps the table
    stub.dropTable(PROJECT, dataset("acme"), TABLE);

    JobResult sync = run(JobHarness.sync("acme", false));

    assertThat(bulkPlan("acme").isNoop()).isTrue();
    assertThat(applied(sync)).containsExactly("create table " + dataset("acme") + "." + TABLE);
    assertThat(warehouse.freshSnapshot(dataset("acme")).orElseThrow().table(TABLE)).isPresent();
  }

  @Test
  void onboardedEvent_reportsSynced_whileTheBulkReadStillLacksEveryDataset() {
    stub.lagInformationSchema(); // INFORMATION_SCHEMA trails an empty project

    JobResult onboarded = run(JobHarness.onboard("acme", null));

    assertThat(data(onboarded)).containsEntry("status", SyncStatus.SYNCED.name());
    assertThat(warehouse.bulkSnapshot(List.of(service.centralDataset(), dataset("acme"))))
        .isEmpty();
    assertThat(EventSchemas.violations("org.onboarded", EventFactory.json(onboarded.data())))
        .isEmpty();
  }

  @Test
  void driftCheckUnderLag_reportsDriftOnlyTheBulkReadSees_asUnconfirmed_andRepairsOnlyRealDrift() {
    for (String org : List.of("lagging", "drifted")) {
      run(JobHarness.onboard(org, null));
      stub.dropTable(PROJECT, dataset(org), TABLE);
    }
    stub.lagInformationSchema(); // both lack the table in INFORMATION_SCHEMA from now on
    run(JobHarness.sync("lagging", false)); // recreated: only the bulk read still lacks it
    run(JobHarness.onboard("newcomer", null)); // a dataset the bulk read does not see yet

    Map<String, Object> summary = checker().run(JobHarness.driftCheck(), autoRepair());

    assertThat(summary)
        .containsEntry("unconfirmed", 2)
        .containsEntry("unconfirmed_orgs", List.of("lagging", "newcomer"))
        .containsEntry("repairs_queued", 1);
    assertThat(ledger.jobs(null, "lagging", 10)).isEmpty();
    assertThat(ledger.jobs(null, "newcomer", 10)).isEmpty();
    assertThat(ledger.jobs(JobState.QUEUED, "drifted", 10)).hasSize(1);
    assertThat(detected("lagging").data())
        .contains("\"status\":\"OUT_OF_SYNC\"", "\"confirmed\":false", "\"repair_queued\":false");
    assertThat(detected("newcomer").data())
        .contains("\"status\":\"PROFILE_ONLY\"", "\"confirmed\":false", "\"repair_queued\":false");
    assertThat(detected("drifted").data())
        .contains("\"status\":\"OUT_OF_SYNC\"", "\"confirmed\":true", "\"repair_queued\":true");
    assertThat(ledger.unpublished(100))
        .filteredOn(e -> e.type().equals("drift.detected"))
        .allSatisfy(e -> assertThat(EventSchemas.violations("drift.detected", e.data())).isEmpty());
    assertThat(EventSchemas.violations("drift.check.completed", EventFactory.json(summary)))
        .isEmpty();
  }

  @Test
  void realDriftUnderLag_isConfirmed_andItsQueuedRepairBringsTheOrgInSync() {
    run(JobHarness.onboard("drifted", null));
    stub.dropTable(PROJECT, dataset("drifted"), TABLE);
    stub.lagInformationSchema();

    checker().run(JobHarness.driftCheck(), autoRepair());
    Job repair = ledger.jobs(JobState.QUEUED, "drifted", 10).get(0);
    JobResult repaired = run(repair);

    assertThat(detected("drifted").data()).contains("\"confirmed\":true");
    assertThat(applied(repaired))
        .containsExactly("create table " + dataset("drifted") + "." + TABLE);
    assertThat(service.orgStatus(OrgSlug.parse("drifted")).status()).isEqualTo(SyncStatus.SYNCED);
  }

  private DriftChecker checker() {
    return new DriftChecker(
        service, ledger, new EventFactory("//test"), clock, new DriftChecker.Settings(50, 10));
  }

  private static Command.DriftCheck autoRepair() {
    return new Command.DriftCheck(List.of(), true);
  }

  private OutboxEvent detected(String org) {
    return ledger.unpublished(100).stream()
        .filter(e -> e.type().equals("drift.detected") && e.orderingKey().equals(org))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no drift.detected for " + org));
  }
}
