package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.TenantViews;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.EventSchemas;
import dev.orgprovisioner.testing.LedgerFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tenant views on DuckDB, through the jobs: onboarding builds them and makes the org's principals
 * readers of its views dataset, which shows the org's rows only; a sync revokes a dropped principal
 * there too; the drift check finds a missing authorization and the sync repairs it; offboarding
 * removes the readers and restore gives them back.
 */
class TenantViewsJobTest {

  private static final String CENTRAL = "organizations";
  private static final AccessEntry ANALYSTS =
      AccessEntry.parse("group:analysts@acme.example", AccessEntry.Role.READER);
  private static final AccessEntry ETL =
      AccessEntry.parse("user:etl@acme.example", AccessEntry.Role.WRITER);
  private static final AccessEntry ETL_READER =
      AccessEntry.parse("user:etl@acme.example", AccessEntry.Role.READER);

  private final JobHarness harness =
      new JobHarness(
          new ProvisioningSettings(Environment.LOCAL, "EU")
              .withTenantViews(new TenantViewSettings(true, 4)));

  @AfterEach
  void close() {
    harness.close();
  }

  private static Map<String, Object> grant(AccessEntry e) {
    return Map.of("principal", e.principal(), "role", e.role().name().toLowerCase());
  }

  private JobResult onboard(String org, List<AccessEntry> access) {
    Map<String, Object> data = MalformedCommands.onboardData(org);
    data.put("admin_email", "admin@acme.example");
    data.put("access", access.stream().map(TenantViewsJobTest::grant).toList());
    return harness.runToSuccess(
        JobHarness.job(CommandType.ONBOARD, org, data), new AttemptsStepLog());
  }

  private JobResult sync(String org, List<AccessEntry> access) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("org_slug", org);
    data.put("options", Map.of());
    if (access != null) {
      data.put("access", access.stream().map(TenantViewsJobTest::grant).toList());
    }
    return harness.runToSuccess(JobHarness.job(CommandType.SYNC, org, data), new AttemptsStepLog());
  }

  private TenantViews.Layout layout(String org) {
    return new TenantAccess(harness.service).layout(OrgSlug.parse(org));
  }

  @Test
  void onboarding_buildsTheViews_authorizesThem_andMakesEveryPrincipalAReaderThere() {
    String org = JobHarness.unique("tenant");
    TenantViews.Layout layout = layout(org);

    JobResult result = onboard(org, List.of(ANALYSTS, ETL));

    assertThat(EventSchemas.violations("org.onboarded", EventFactory.json(result.data())))
        .isEmpty();
    @SuppressWarnings("unchecked")
    Map<String, Object> views =
        (Map<String, Object>)
            ((Map<String, Object>) JobHarness.data(result).get("created")).get("tenant_views");
    assertThat(views).containsEntry("views_dataset", org + "_local_views");
    assertThat(harness.duck.authorizedDatasets(CENTRAL)).contains(layout.shardDataset());
    assertThat(harness.duck.authorizedDatasets(layout.shardDataset()))
        .contains(layout.viewsDataset());
    // The data dataset keeps the roles asked for; the views dataset has readers only.
    assertThat(harness.duck.accessEntries(org + "_local")).containsExactlyInAnyOrder(ANALYSTS, ETL);
    assertThat(harness.duck.accessEntries(layout.viewsDataset()))
        .containsExactlyInAnyOrder(ANALYSTS, ETL_READER);
    assertThat(harness.duck.authorizedDatasets(org + "_local")).isEmpty();
  }

  @Test
  void theViewsDataset_showsTheOrgsRowsOnly() {
    String org = JobHarness.unique("tenant");
    String other = JobHarness.unique("tenant");
    onboard(org, List.of(ANALYSTS));
    onboard(other, List.of());
    harness.duck.insertRows(CENTRAL, "org_hierarchy", List.of(node(org), node(other)));

    List<Map<String, Object>> rows =
        harness.duck.selectRows(layout(org).viewsDataset(), "x_org_hierarchy", Map.of(), 10);

    assertThat(rows).extracting(r -> r.get("org_slug")).containsExactly(org);
  }

  @Test
  void sync_droppingAPrincipal_revokesItOnTheViewsDatasetToo() {
    String org = JobHarness.unique("tenant");
    onboard(org, List.of(ANALYSTS, ETL));

    JobResult result = sync(org, List.of(ANALYSTS));

    assertThat(EventSchemas.violations("org.synced", EventFactory.json(result.data()))).isEmpty();
    assertThat(harness.duck.accessEntries(layout(org).viewsDataset())).containsExactly(ANALYSTS);
  }

  @Test
  void aMissingAuthorizationOrReader_isAdditiveDrift_andTheRepairSyncPutsThemBack() {
    String org = JobHarness.unique("tenant");
    onboard(org, List.of(ANALYSTS));
    TenantViews.Layout layout = layout(org);
    harness.duck.changeAuthorizedDatasets(
        layout.shardDataset(), List.of(), List.of(layout.viewsDataset()));
    harness.duck.changeAccess(layout.viewsDataset(), List.of(), List.of(ANALYSTS));
    Ledger ledger = LedgerFixtures.inMemory(Duration.ofSeconds(60));
    DriftChecker checker =
        new DriftChecker(
            harness.service,
            ledger,
            new EventFactory("//test"),
            Clock.systemUTC(),
            new DriftChecker.Settings(10, 50));

    Map<String, Object> summary =
        checker.run(checkJob(ledger), new Command.DriftCheck(List.of(), false));

    OutboxEvent detected =
        ledger.unpublished(100).stream()
            .filter(e -> e.type().equals("drift.detected") && e.orderingKey().equals(org))
            .findFirst()
            .orElseThrow();
    assertThat(EventSchemas.violations("drift.detected", detected.data())).isEmpty();
    assertThat(detected.data())
        .contains("AUTHORIZATION_MISSING " + layout.shardDataset() + " " + layout.viewsDataset())
        .contains("READER_MISSING " + ANALYSTS.principal());
    assertThat(summary.get("counts")).asString().contains("OUT_OF_SYNC=1");

    sync(org, null);

    assertThat(harness.duck.authorizedDatasets(layout.shardDataset()))
        .contains(layout.viewsDataset());
    assertThat(harness.duck.accessEntries(layout.viewsDataset())).containsExactly(ANALYSTS);
  }

  @Test
  void offboarding_removesTheReadersOfTheViewsDataset_andRestoreGivesThemBack() {
    String org = JobHarness.unique("tenant");
    onboard(org, List.of(ANALYSTS));
    String views = layout(org).viewsDataset();

    harness.runToSuccess(JobHarness.offboard(org, "contract ended", 5), new AttemptsStepLog());

    assertThat(harness.duck.accessEntries(views)).isEmpty();

    harness.runToSuccess(JobHarness.restore(org), new AttemptsStepLog());

    assertThat(harness.duck.accessEntries(views)).containsExactly(ANALYSTS);
  }

  @Test
  void theDeadline_deletesTheViewsDatasetAndItsAuthorization_andRestoreBuildsThemAgain() {
    String org = JobHarness.unique("tenant");
    onboard(org, List.of(ANALYSTS));
    TenantViews.Layout layout = layout(org);
    harness.runToSuccess(JobHarness.offboard(org, "contract ended", 0), new AttemptsStepLog());
    Job deadline =
        LedgerFixtures.allJobs(harness.ledger, JobState.QUEUED, org).stream()
            .filter(j -> j.type() == CommandType.OFFBOARD_DEADLINE)
            .findFirst()
            .orElseThrow();

    harness.runToSuccess(JobHarness.running(deadline), new AttemptsStepLog());

    assertThat(harness.duck.datasetExists(layout.viewsDataset())).isFalse();
    assertThat(harness.duck.authorizedDatasets(layout.shardDataset()))
        .doesNotContain(layout.viewsDataset());

    harness.runToSuccess(JobHarness.restore(org), new AttemptsStepLog());

    assertThat(harness.duck.authorizedDatasets(layout.shardDataset()))
        .contains(layout.viewsDataset());
    assertThat(harness.duck.accessEntries(layout.viewsDataset())).containsExactly(ANALYSTS);
    assertThat(harness.duck.freshSnapshot(layout.viewsDataset()).orElseThrow().views())
        .hasSize(harness.service.catalog().org().views().size());
  }

  private static Map<String, Object> node(String org) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", org + "-root");
    row.put("org_slug", org);
    row.put("entity_id", "root");
    row.put("entity_name", "Root");
    row.put("level", 1L);
    row.put("level_code", "company");
    row.put("path", "/root");
    row.put("depth", 0L);
    row.put("is_active", true);
    row.put("created_at", Instant.parse("2026-01-01T00:00:00Z"));
    row.put("created_by", "test");
    row.put("version", 1L);
    return row;
  }

  private static Job checkJob(Ledger ledger) {
    var envelope =
        ((DecodeResult.Accepted)
                CommandDecoder.fromClasspath(TenantViewsJobTest.class.getClassLoader(), 64 * 1024)
                    .decode(
                        Map.of(
                            "ce-specversion", "1.0",
                            "ce-type", "drift.check.requested",
                            "ce-id", "check-tenant",
                            "ce-source", "//scheduler"),
                        "{\"scope\":\"all\"}".getBytes(StandardCharsets.UTF_8),
                        null))
            .envelope();
    return LedgerFixtures.acceptAndLease(ledger, envelope, "w", Clock.systemUTC().instant());
  }
}
