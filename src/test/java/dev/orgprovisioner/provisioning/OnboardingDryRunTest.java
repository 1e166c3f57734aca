package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.CentralRowCounts;
import dev.orgprovisioner.testing.EventSchemas;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An onboarding's dry run makes an onboarding's checks against the org's state and reports what it
 * would create, and writes nothing: no dataset, no central row, no key, no audit entry.
 */
class OnboardingDryRunTest {

  private final JobHarness harness = new JobHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  /** What of {@code org} exists: its dataset's snapshot and its rows in every central table. */
  private record State(Optional<ObservedDataset> dataset, Map<String, Integer> rows) {}

  private State state(String org) {
    return new State(
        harness.duck.freshSnapshot(org + "_local"), CentralRowCounts.of(harness.duck, org));
  }

  private JobResult dryRun(String org, Map<String, Object> changes) {
    int writes = harness.warehouse.writes.get();
    try {
      return harness.run(JobHarness.onboardDryRun(org, changes), new AttemptsStepLog());
    } finally {
      assertThat(harness.warehouse.writes.get()).as("warehouse writes").isEqualTo(writes);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> wouldCreate(JobResult result) {
    return (Map<String, Object>) JobHarness.data(result).get("would_create");
  }

  @Test
  void dryRunOfAFreeSlug_reportsTheDatasetTablesViewsAndRowsItWouldCreate_andWritesNothing() {
    String org = JobHarness.unique("free");

    JobResult result = dryRun(org, Map.of());

    assertThat(result.eventType()).isEqualTo("org.onboarded");
    Map<String, Object> data = JobHarness.data(result);
    assertThat(data)
        .containsEntry("dry_run", true)
        .containsEntry("already_existed", false)
        .containsEntry("orphan_dataset", false)
        .containsEntry("dataset_location", "EU")
        .containsEntry("status", "OUT_OF_SYNC");
    Map<String, Object> would = wouldCreate(result);
    assertThat(would).containsEntry("dataset", true).containsEntry("central_dataset", false);
    assertThat((List<String>) would.get("tables"))
        .hasSameSizeAs(harness.service.catalog().org().tables());
    assertThat((List<String>) would.get("views")).hasSize(4);
    assertThat((List<String>) would.get("central_rows"))
        .contains("org_profiles:" + org, "org_api_keys:" + org + "_" + "ab".repeat(6))
        .hasSize(8);
    assertThat(EventSchemas.violations("org.onboarded", EventFactory.json(result.data())))
        .isEmpty();
    assertThat(state(org).dataset()).isEmpty();
    assertThat(state(org).rows()).allSatisfy((t, n) -> assertThat(n).as(t).isZero());
  }

  @Test
  void dryRunOfASlugOwnedByTheSameProfile_convergesWithOnlyItsAuditEntry_andChangesNothing() {
    String org = JobHarness.unique("same");
    harness.runToSuccess(JobHarness.onboard(org, null), new AttemptsStepLog());
    State before = state(org);

    JobResult result = dryRun(org, Map.of());

    assertThat(JobHarness.data(result))
        .containsEntry("dry_run", true)
        .containsEntry("already_existed", true)
        .containsEntry("status", "SYNCED");
    assertThat(wouldCreate(result)).containsEntry("dataset", false);
    assertThat((List<String>) wouldCreate(result).get("tables")).isEmpty();
    assertThat((List<String>) wouldCreate(result).get("central_rows"))
        .singleElement()
        .asString()
        .startsWith("org_audit_logs:");
    assertThat(state(org)).isEqualTo(before);
  }

  @Test
  void dryRunOfASlugOwnedByAnotherCompany_failsWithOrgExists_saysItWasADryRun_andChangesNothing() {
    String org = JobHarness.unique("taken");
    harness.runToSuccess(JobHarness.onboard(org, null), new AttemptsStepLog());
    State before = state(org);

    assertThatThrownBy(() -> dryRun(org, Map.of("company_name", "Globex Corp")))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> {
              assertThat(e.error().code()).isEqualTo("ORG_EXISTS");
              assertThat(e.error().transientFailure()).isFalse();
              assertThat(e.details()).isEqualTo(Map.of("dry_run", true));
            });
    assertThat(OnboardingPlanner.conflictField("ORG_EXISTS")).isEqualTo("data.org_slug");
    assertThat(state(org)).isEqualTo(before);
  }

  @Test
  void dryRunNamingAnotherLocationThanTheOrgs_failsWithTheLocationConflict() {
    String org = JobHarness.unique("where");
    harness.runToSuccess(JobHarness.onboard(org, "EU"), new AttemptsStepLog());

    assertThatThrownBy(() -> dryRun(org, Map.of("dataset_location", "US")))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> {
              assertThat(e.error().code()).isEqualTo(Residency.CONFLICT);
              assertThat(e.error().message()).contains("US", "EU");
            });
  }

  @Test
  void dryRunOfADatasetWithoutAProfile_reportsTheOrphanAndTheProfileItWouldWrite() {
    String org = JobHarness.unique("orphan");
    harness.service.apply(harness.service.planOrg(OrgSlug.parse(org), RecordedDataset.NONE), false);

    JobResult result = dryRun(org, Map.of());

    assertThat(JobHarness.data(result))
        .containsEntry("orphan_dataset", true)
        .containsEntry("already_existed", false);
    assertThat(wouldCreate(result)).containsEntry("dataset", false);
    assertThat((List<String>) wouldCreate(result).get("central_rows"))
        .contains("org_profiles:" + org);
    assertThat(state(org).rows()).allSatisfy((t, n) -> assertThat(n).as(t).isZero());
  }

  @Test
  void theReadOnlyWarehouseOfPlanning_refusesEveryWrite() {
    ProvisioningService readOnly = harness.service.readOnly();
    String org = JobHarness.unique("refused");

    assertThatThrownBy(
            () -> readOnly.apply(readOnly.planOrg(OrgSlug.parse(org), RecordedDataset.NONE), false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("read-only warehouse: refused to create dataset " + org + "_local");
    assertThatThrownBy(
            () ->
                readOnly
                    .warehouse()
                    .upsertRows("organizations", "org_profiles", List.of("org_slug"), List.of()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> readOnly.warehouse().deleteDataset(org + "_local"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () -> readOnly.warehouse().changeAccess(org + "_local", List.of(), List.of()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(harness.duck.freshSnapshot(org + "_local")).isEmpty();
  }
}
