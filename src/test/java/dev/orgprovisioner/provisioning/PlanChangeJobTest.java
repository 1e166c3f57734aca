package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.CentralRowCounts;
import dev.orgprovisioner.testing.EventSchemas;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plan changes: profile, subscription and today's quota together; usage over a new limit told. */
class PlanChangeJobTest {

  private final JobHarness harness = new JobHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private String onboarded() {
    String org = JobHarness.unique("plans");
    harness.runToSuccess(JobHarness.onboard(org, null), new AttemptsStepLog());
    return org;
  }

  private Map<String, Object> row(String table, String org) {
    return harness.duck.selectRows("organizations", table, Map.of("org_slug", org), 1).get(0);
  }

  @Test
  void upgrade_setsTheNewLimitsEverywhere_andTheEventCarriesOldAndNew() {
    String org = onboarded();

    JobResult result =
        harness.runToSuccess(JobHarness.changePlan(org, "SCALE"), new AttemptsStepLog());

    assertThat(result.eventType()).isEqualTo("org.plan.changed");
    String json = EventFactory.json(result.data());
    assertThat(EventSchemas.violations("org.plan.changed", json)).isEmpty();
    Map<String, Object> data = JobHarness.data(result);
    assertThat(data)
        .containsEntry("old_plan", "PROFESSIONAL")
        .containsEntry("new_plan", "SCALE")
        .containsEntry("quota_adjusted", true)
        .containsEntry("over_limit", List.of());
    assertThat(row("org_profiles", org)).containsEntry("subscription_plan", "SCALE");
    assertThat(row("org_subscriptions", org))
        .containsEntry("plan_name", "SCALE")
        .containsEntry("daily_limit", 100L)
        .containsEntry("status", "TRIAL");
    assertThat(row("org_usage_quotas", org)).containsEntry("daily_limit", 100L);
    assertThat(row("org_profiles", org).get("company_name")).isNotNull();
  }

  @Test
  void downgradeBelowTodaysUsage_isAppliedInFull_andReportedInTheEvent() {
    String org = onboarded();
    harness.runToSuccess(JobHarness.changePlan(org, "SCALE"), new AttemptsStepLog());
    harness.duck.execute(
        "UPDATE organizations.org_usage_quotas SET pipelines_run_today = 40 WHERE org_slug = '"
            + org
            + "'");

    JobResult result =
        harness.runToSuccess(JobHarness.changePlan(org, "PROFESSIONAL"), new AttemptsStepLog());

    assertThat(JobHarness.data(result))
        .containsEntry(
            "over_limit", List.of(Map.of("limit", "daily_limit", "usage", 40L, "new_limit", 25L)));
    assertThat(row("org_usage_quotas", org))
        .containsEntry("daily_limit", 25L)
        .containsEntry("pipelines_run_today", 40L);
    assertThat(row("org_subscriptions", org)).containsEntry("plan_name", "PROFESSIONAL");
  }

  @Test
  void aChangeFailingPartWay_convergesOnRetry_andStillReportsThePlanBefore() {
    String org = onboarded();
    harness.warehouse.failNextUpsertOf("org_usage_quotas", true);

    JobResult result =
        harness.runToSuccess(JobHarness.changePlan(org, "STARTER"), new AttemptsStepLog());

    assertThat(harness.warehouse.injected.get()).isPositive();
    assertThat(JobHarness.data(result))
        .containsEntry("old_plan", "PROFESSIONAL")
        .containsEntry("new_plan", "STARTER");
    assertThat(CentralRowCounts.of(harness.duck, org))
        .containsEntry("org_subscriptions", 1)
        .containsEntry("org_usage_quotas", 1);
  }

  @Test
  void repeatingAChange_changesNothing_andReportsTheSamePlanBeforeAndAfter() {
    String org = onboarded();
    harness.runToSuccess(JobHarness.changePlan(org, "SCALE"), new AttemptsStepLog());
    Map<String, Object> subscription = row("org_subscriptions", org);

    JobResult again =
        harness.runToSuccess(JobHarness.changePlan(org, "SCALE"), new AttemptsStepLog());

    assertThat(JobHarness.data(again))
        .containsEntry("old_plan", "SCALE")
        .containsEntry("new_plan", "SCALE");
    assertThat(row("org_subscriptions", org).get("plan_name"))
        .isEqualTo(subscription.get("plan_name"));
  }

  @Test
  void changeForAnOrgNeverOnboarded_failsWithOrgNotFound_andWritesNothing() {
    String org = JobHarness.unique("ghost");

    assertThatThrownBy(
            () -> harness.run(JobHarness.changePlan(org, "SCALE"), new AttemptsStepLog()))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> {
              assertThat(e.error().code()).isEqualTo("ORG_NOT_FOUND");
              assertThat(e.error().message()).contains("no plan was changed");
            });
    assertThat(CentralRowCounts.of(harness.duck, org)).allSatisfy((t, n) -> assertThat(n).isZero());
  }
}
