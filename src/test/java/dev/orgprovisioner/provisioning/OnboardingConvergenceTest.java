package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.plan.SyncStatus;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.CentralRowCounts;
import dev.orgprovisioner.testing.EventSchemas;
import dev.orgprovisioner.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Onboarding converges: whichever central-row write fails, and wherever the worker dies, the next
 * attempts end with every row exactly once and the org reported as new.
 */
class OnboardingConvergenceTest {

  private final JobHarness harness = new JobHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  static Stream<Arguments> everyRowWrite() {
    List<Arguments> cases = new ArrayList<>();
    for (String table : CentralRowCounts.TABLES) {
      cases.add(Arguments.of(table, false));
      cases.add(Arguments.of(table, true));
    }
    return cases.stream();
  }

  private void assertConverged(String org, JobResult result) {
    CentralRowCounts.assertOnboardedOnce(harness.duck, org, true);
    assertThat(JobHarness.data(result)).containsEntry("already_existed", false);
    assertThat(harness.service.orgStatus(OrgSlug.parse(org)).status()).isEqualTo(SyncStatus.SYNCED);
    assertThat(EventSchemas.violations("org.onboarded", EventFactory.json(result.data())))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}, answer lost after the write: {1}")
  @MethodSource("everyRowWrite")
  void eachCentralRowWriteFailingOnce_endsWithEveryRowOnceAndTheOrgReportedNew(
      String table, boolean afterWrite) {
    String org = JobHarness.unique("fail");
    AttemptsStepLog steps = new AttemptsStepLog();
    harness.warehouse.failNextUpsertOf(table, afterWrite);

    JobResult result = harness.runToSuccess(JobHarness.onboard(org, null), steps);

    assertThat(steps.attempts()).isEqualTo(2);
    assertThat(harness.warehouse.injected.get()).isEqualTo(1);
    assertConverged(org, result);
  }

  @Test
  void workerDyingBeforeAnyWarehouseStep_aFreshAttemptResumes_andEveryRowIsThereOnce() {
    AttemptsStepLog probe = new AttemptsStepLog();
    harness.runToSuccess(JobHarness.onboard(JobHarness.unique("probe"), null), probe);
    int checks = probe.leaseChecks();
    // Dataset step, the rows' write (one upsert of every table), six read-backs.
    assertThat(checks).isGreaterThanOrEqualTo(8);

    for (int dieAt = 1; dieAt <= checks; dieAt++) {
      String org = JobHarness.unique("die" + dieAt);
      Job job = JobHarness.onboard(org, null);
      AttemptsStepLog steps = new AttemptsStepLog();
      int at = dieAt;
      assertThatThrownBy(() -> harness.run(job, steps.nextAttempt(at)))
          .as("attempt dying at lease check %d", at)
          .isInstanceOf(dev.orgprovisioner.execution.port.StepLog.LeaseLostException.class);

      JobResult result = harness.runToSuccess(job, steps);

      assertThat(steps.attempts()).as("dying at check %d", dieAt).isEqualTo(2);
      assertConverged(org, result);
    }
  }

  @Test
  void rowThatCannotBeReadBack_failsTheAttemptTransiently_andTheNextAttemptWritesIt() {
    String org = JobHarness.unique("lost");
    Job job = JobHarness.onboard(org, null);
    AttemptsStepLog steps = new AttemptsStepLog();
    harness.warehouse.loseUpsertsOf("org_hierarchy_levels");

    assertThatThrownBy(() -> harness.run(job, steps.nextAttempt()))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> {
              assertThat(e.error().transientFailure()).isTrue();
              assertThat(e.error().code()).isEqualTo("CENTRAL_ROW_MISSING");
              assertThat(e.error().message()).contains("org_hierarchy_levels:" + org + "_level_1");
            });
    assertThat(steps.completedSteps()).doesNotContain(OnboardingJob.STEP_ROWS);
    harness.warehouse.loseUpsertsOf(null);

    assertConverged(org, harness.runToSuccess(job, steps));
  }

  @Test
  void readBackOfRowsInPartitionedTables_namesTheirPartitionValue() {
    // On BigQuery the partition value limits the read-back to one partition of the table.
    harness.runToSuccess(
        JobHarness.onboard(JobHarness.unique("reads"), null), new AttemptsStepLog());

    assertThat(harness.warehouse.lookups)
        .contains(
            "org_audit_logs [audit_id, created_at]",
            "org_usage_quotas [usage_id, usage_date]",
            "org_subscriptions [subscription_id, created_at]",
            "org_api_keys [org_api_key_id, created_at]",
            "org_profiles [org_slug]",
            "org_hierarchy_levels [org_slug]");
  }

  @Test
  void convergedOnboardingRetriedAfterMidnight_keepsTheAuditTimeOfItsFirstAttempt() {
    // The audit table is partitioned by that time: a moved time would add a second entry.
    String org = JobHarness.unique("midnight");
    harness.runToSuccess(JobHarness.onboard(org, null), new AttemptsStepLog());
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T23:59:00Z"));
    ProvisioningJobs jobs = new ProvisioningJobs(harness.service, clock);
    Job again = JobHarness.onboard(org, null);
    AttemptsStepLog steps = new AttemptsStepLog();
    harness.warehouse.failNextUpsertOf("org_audit_logs", true);

    assertThatThrownBy(() -> jobs.run(again, steps.nextAttempt()))
        .isInstanceOf(JobFailedException.class);
    clock.advance(Duration.ofMinutes(2));
    jobs.run(again, steps.nextAttempt());

    assertThat(
            harness.duck.selectRows(
                "organizations", "org_audit_logs", Map.of("audit_id", "job_" + again.id()), 5))
        .singleElement()
        .satisfies(
            r ->
                assertThat(CentralRows.instant(r.get("created_at")))
                    .isEqualTo(Instant.parse("2026-03-01T23:59:00Z")));
  }

  @Test
  void onboardingAgain_reportsAlreadyExisted_andCompletesOnlyTheRowsTheOrgLacks() {
    String org = JobHarness.unique("again");
    harness.runToSuccess(JobHarness.onboard(org, null), new AttemptsStepLog());
    harness.duck.execute(
        "UPDATE organizations.org_subscriptions SET plan_name = 'SCALE' WHERE org_slug = '"
            + org
            + "'");
    harness.duck.execute(
        "DELETE FROM organizations.org_hierarchy_levels WHERE org_slug = '" + org + "'");

    JobResult again = harness.runToSuccess(JobHarness.onboard(org, null), new AttemptsStepLog());

    assertThat(JobHarness.data(again)).containsEntry("already_existed", true);
    Map<String, Integer> counts = CentralRowCounts.of(harness.duck, org);
    assertThat(counts)
        .containsEntry("org_hierarchy_levels", 3)
        .containsEntry("org_subscriptions", 1)
        .containsEntry("org_audit_logs", 2);
    assertThat(
            harness.duck.selectRows(
                "organizations", "org_subscriptions", Map.of("org_slug", org), 5))
        .singleElement()
        .satisfies(r -> assertThat(r.get("plan_name")).isEqualTo("SCALE"));
  }
}
