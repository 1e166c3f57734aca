package dev.orgprovisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.ViewDef;
import dev.orgprovisioner.plan.PlanStep.CreateOrReplaceView;
import dev.orgprovisioner.testing.CatalogFixtures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Forced view recreation adds every catalog view to a plan, and never replaces a table. */
class ForcedViewsTest {

  private final DesiredDataset desired =
      new DesiredDataset(
          "acme_local", "EU", CatalogFixtures.project().org(), "organizations", "acme");

  private List<String> viewNames() {
    return desired.catalog().views().stream().map(ViewDef::name).toList();
  }

  private static List<String> viewSteps(Plan plan) {
    return plan.steps().stream()
        .filter(s -> s instanceof CreateOrReplaceView)
        .map(s -> ((CreateOrReplaceView) s).view().name())
        .toList();
  }

  @Test
  void anEmptyPlan_getsOneStepPerCatalogView_inCatalogOrder_andKeepsItsReport() {
    Plan upToDate = new Plan("acme_local", List.of(), List.of());

    Plan forced = ForcedViews.of(upToDate, desired, Optional.empty());

    assertThat(viewSteps(forced)).containsExactlyElementsOf(viewNames());
    assertThat(forced.differences()).isEmpty();
    assertThat(forced.status()).isEqualTo(SyncStatus.SYNCED);
  }

  @Test
  void aViewTheComparisonAlreadyReplaces_appearsOnce_afterEveryOtherStep() {
    Plan fresh = Planner.plan(desired, Optional.empty(), v -> "SELECT 1");

    Plan forced = ForcedViews.of(fresh, desired, Optional.empty());

    assertThat(viewSteps(forced)).containsExactlyElementsOf(viewNames());
    assertThat(forced.steps()).hasSameSizeAs(fresh.steps());
    int firstView = forced.steps().size() - viewNames().size();
    assertThat(forced.steps().subList(firstView, forced.steps().size()))
        .allSatisfy(s -> assertThat(s).isInstanceOf(CreateOrReplaceView.class));
    assertThat(forced.differences()).isEqualTo(fresh.differences());
  }

  @Test
  void aTableHoldingAViewsName_isNeverReplacedByTheView() {
    String taken = viewNames().get(0);
    ObservedDataset observed =
        new ObservedDataset(
            "acme_local",
            null,
            "EU",
            Map.of(),
            Map.of(taken, new ObservedTable(taken, null, List.of(), null, null, null)),
            Map.of());

    Plan forced =
        ForcedViews.of(
            new Plan("acme_local", List.of(), List.of()), desired, Optional.of(observed));

    assertThat(viewSteps(forced)).doesNotContain(taken).hasSize(viewNames().size() - 1);
  }
}
