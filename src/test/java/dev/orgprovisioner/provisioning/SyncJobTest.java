package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.CentralRowCounts;
import dev.orgprovisioner.testing.EventSchemas;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sync jobs: only of onboarded orgs, and they complete the central rows an org lacks. */
class SyncJobTest {

  private final JobHarness harness = new JobHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void syncOfAnOrgNeverOnboarded_failsPermanentlyWithOrgNotFound_andCreatesNothing() {
    String org = JobHarness.unique("ghost");

    assertThatThrownBy(() -> harness.run(JobHarness.sync(org, false), new AttemptsStepLog()))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> {
              assertThat(e.error().transientFailure()).isFalse();
              assertThat(e.error().code()).isEqualTo("ORG_NOT_FOUND");
              assertThat(e.error().message()).contains(org, "never onboarded");
            });

    assertThat(harness.duck.freshSnapshot(org + "_local")).isEmpty();
    assertThat(CentralRowCounts.of(harness.duck, org)).allSatisfy((t, n) -> assertThat(n).isZero());
  }

  @Test
  void dryRunSyncOfAnOrgNeverOnboarded_answersNotFound_andCreatesNothing() {
    String org = JobHarness.unique("ghost");

    JobResult result = harness.run(JobHarness.sync(org, true), new AttemptsStepLog());

    assertThat(result.eventType()).isEqualTo("org.synced");
    String json = EventFactory.json(result.data());
    assertThat(json).contains("\"status\":\"NOT_FOUND\"", "\"dry_run\":true", "\"steps\":[]");
    assertThat(EventSchemas.violations("org.synced", json)).isEmpty();
    assertThat(harness.duck.freshSnapshot(org + "_local")).isEmpty();
  }

  @Test
  void syncOfAnOnboardedOrg_completesItsMissingCentralRows_andOverwritesNone() {
    String org = JobHarness.unique("holes");
    harness.runToSuccess(JobHarness.onboard(org, null), new AttemptsStepLog());
    Map<String, Object> quotaBefore =
        harness
            .duck
            .selectRows("organizations", "org_usage_quotas", Map.of("org_slug", org), 1)
            .get(0);
    harness.duck.execute(
        "UPDATE organizations.org_subscriptions SET status = 'ACTIVE' WHERE org_slug = '"
            + org
            + "'");
    for (String table : new String[] {"org_usage_quotas", "org_hierarchy_levels"}) {
      harness.duck.execute(
          "DELETE FROM organizations." + table + " WHERE org_slug = '" + org + "'");
    }

    JobResult result = harness.runToSuccess(JobHarness.sync(org, false), new AttemptsStepLog());

    String json = EventFactory.json(result.data());
    assertThat(EventSchemas.violations("org.synced", json)).isEmpty();
    assertThat(json)
        .contains("org_usage_quotas:" + quotaBefore.get("usage_id"), "org_hierarchy_levels:");
    Map<String, Integer> counts = CentralRowCounts.of(harness.duck, org);
    assertThat(counts)
        .containsEntry("org_usage_quotas", 1)
        .containsEntry("org_hierarchy_levels", 3)
        .containsEntry("org_subscriptions", 1)
        // the onboarding's entry and the sync's, which says what it completed
        .containsEntry("org_audit_logs", 2);
    assertThat(
            harness.duck.selectRows(
                "organizations", "org_subscriptions", Map.of("org_slug", org), 5))
        .singleElement()
        .satisfies(r -> assertThat(r.get("status")).isEqualTo("ACTIVE"));
    assertThat(
            harness
                .duck
                .selectRows("organizations", "org_usage_quotas", Map.of("org_slug", org), 1)
                .get(0))
        .containsEntry("usage_date", quotaBefore.get("usage_date"))
        .containsEntry("created_at", quotaBefore.get("created_at"));
  }

  @Test
  void syncOfACompleteOrg_writesNoCentralRow() {
    String org = JobHarness.unique("whole");
    harness.runToSuccess(JobHarness.onboard(org, null), new AttemptsStepLog());

    JobResult result = harness.runToSuccess(JobHarness.sync(org, false), new AttemptsStepLog());

    assertThat(JobHarness.data(result).get("central_rows_completed")).asList().isEmpty();
    CentralRowCounts.assertOnboardedOnce(harness.duck, org, true);
  }
}
