package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.ViewDef;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.plan.ObservedView;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.EventSchemas;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sync with {@code options.views: "recreate"} replaces every view of the catalog, even one the
 * comparison finds up to date; the plan in its event lists them.
 */
class SyncViewRecreationTest {

  private static final String HAND_MARK = "edited_by_hand";

  private final JobHarness harness = new JobHarness();
  private String org;
  private String view;

  /**
   * A view replaced by hand with its labels kept, seen through metadata that does not echo view
   * SQL: to every comparison the view is up to date.
   */
  @BeforeEach
  void onboardAndEditAViewWhereNoComparisonSeesIt() {
    org = JobHarness.unique("views");
    harness.runToSuccess(JobHarness.onboard(org, null), new AttemptsStepLog());
    view = harness.service.catalog().org().views().get(0).name();
    harness.duck.execute(
        "CREATE OR REPLACE VIEW \""
            + org
            + "_local\".\""
            + view
            + "\" AS SELECT 1 AS "
            + HAND_MARK);
    harness.warehouse.hideViewSql(true);
    assertThat(viewSql()).contains(HAND_MARK);
  }

  @AfterEach
  void close() {
    harness.close();
  }

  /** The view's definition as DuckDB holds it. */
  private String viewSql() {
    return harness
        .duck
        .freshSnapshot(org + "_local")
        .orElseThrow()
        .view(view)
        .map(ObservedView::sql)
        .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static List<String> planSteps(JobResult result) {
    Map<String, Object> data = JobHarness.data(result);
    return ((dev.orgprovisioner.provisioning.PlanReport) data.get("plan")).steps();
  }

  @Test
  void anOrdinarySync_findsTheViewUpToDate_andLeavesTheEditInPlace() {
    JobResult result =
        harness.runToSuccess(JobHarness.syncViews(org, true, false), new AttemptsStepLog());

    assertThat(planSteps(result)).isEmpty();
    assertThat(JobHarness.data(result)).doesNotContainKey("views_recreated");
    assertThat(viewSql()).contains(HAND_MARK);
  }

  @Test
  void aDryRunWithRecreate_listsEveryViewInThePlan_andReplacesNothing() {
    int writes = harness.warehouse.writes.get();

    JobResult result =
        harness.run(JobHarness.syncViews(org, "recreate", true), new AttemptsStepLog());

    List<String> views =
        harness.service.catalog().org().views().stream().map(ViewDef::name).toList();
    assertThat(planSteps(result))
        .containsExactlyElementsOf(
            views.stream().map(v -> "create or replace view " + org + "_local." + v).toList());
    assertThat(JobHarness.data(result))
        .containsEntry("views_recreated", views)
        .containsEntry("applied", List.of());
    assertThat(EventSchemas.violations("org.synced", EventFactory.json(result.data()))).isEmpty();
    assertThat(harness.warehouse.writes.get()).isEqualTo(writes);
    assertThat(viewSql()).contains(HAND_MARK);
  }

  @Test
  void aSyncWithRecreate_replacesEveryView_soTheHandEditIsGoneFromTheDefinition() {
    JobResult result =
        harness.runToSuccess(JobHarness.syncViews(org, "recreate", false), new AttemptsStepLog());

    assertThat((List<String>) JobHarness.data(result).get("applied")).hasSize(4);
    assertThat(viewSql()).doesNotContain(HAND_MARK);
    assertThat(harness.service.orgStatus(dev.orgprovisioner.command.OrgSlug.parse(org)).status())
        .hasToString("SYNCED");
  }

  @Test
  void viewsFalse_leavesEvenAnOutdatedViewAlone() {
    harness.duck.execute("DROP VIEW \"" + org + "_local\".\"" + view + "\"");

    JobResult result =
        harness.runToSuccess(JobHarness.syncViews(org, false, false), new AttemptsStepLog());

    assertThat((List<String>) JobHarness.data(result).get("applied")).isEmpty();
    assertThat(harness.duck.freshSnapshot(org + "_local").orElseThrow().view(view)).isEmpty();
  }
}
