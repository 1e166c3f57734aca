package dev.orgprovisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.ViewDef;
import dev.orgprovisioner.plan.PlanStep.CreateOrReplaceView;
import dev.orgprovisioner.testing.CatalogFixtures;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The planner compares a view's SQL, as the warehouse echoes it, with its rendered template. */
class PlannerViewSqlTest {

  private final DesiredDataset desired =
      new DesiredDataset(
          "acme_local", "EU", CatalogFixtures.minimal().org(), "organizations", "acme");

  /** A stand-in for an adapter: qualifies nothing, prefixes the org. */
  private static final ViewRenderer RENDER =
      v -> "-- " + v.orgSlug() + "\n" + v.view().template().replace("{{", "").replace("}}", "");

  private ViewDef view() {
    return desired.catalog().views().get(0);
  }

  private String rendered() {
    ViewDef v = view();
    return RENDER.sql(
        new CreateOrReplaceView(desired.name(), "organizations", v, "acme", desired.viewLabels(v)));
  }

  private Plan planWithViewSql(Map<String, String> labels, String sql) {
    ViewDef v = view();
    Map<String, ObservedView> views = new LinkedHashMap<>();
    views.put(v.name(), new ObservedView(v.name(), v.description(), labels, sql));
    ObservedDataset obs =
        new ObservedDataset(
            desired.name(),
            desired.catalog().description(),
            "EU",
            desired.datasetLabels(),
            Map.of(),
            views);
    Plan plan = Planner.plan(desired, Optional.of(obs), RENDER);
    return new Plan(
        plan.dataset(),
        plan.steps().stream().filter(s -> s instanceof CreateOrReplaceView).toList(),
        plan.differences().stream().filter(d -> v.name().equals(d.object())).toList());
  }

  @Test
  void viewAsCreated_isNotReplaced() {
    Plan plan = planWithViewSql(desired.viewLabels(view()), rendered());

    assertThat(plan.steps()).isEmpty();
    assertThat(plan.differences()).isEmpty();
  }

  @Test
  void viewEchoedWithOtherLayout_isNotReplaced() {
    String echoed = "\n" + rendered().replace(" ", "   ").replace("\n", "\n\t\n") + ";\n";

    assertThat(planWithViewSql(desired.viewLabels(view()), echoed).steps()).isEmpty();
  }

  @Test
  void viewEditedByHand_withItsLabelsKept_isReplacedAsAdditive() {
    String edited = rendered() + " OR TRUE";

    Plan plan = planWithViewSql(desired.viewLabels(view()), edited);

    assertThat(plan.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            CreateOrReplaceView.class, s -> assertThat(s.view().name()).isEqualTo("x_events"));
    assertThat(plan.differences())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.kind()).isEqualTo(DifferenceKind.VIEW_SQL_CHANGED);
              assertThat(d.classification()).isEqualTo(Classification.ADDITIVE);
              assertThat(d.observed()).endsWith("OR TRUE");
            });
  }

  @Test
  void outdatedLabels_andEditedSql_giveOneOutdatedViewAndOneStep() {
    Map<String, String> labels = new LinkedHashMap<>(desired.viewLabels(view()));
    labels.put(DesiredDataset.DEFINITION_HASH, "0000000000000000");

    Plan plan = planWithViewSql(labels, rendered() + " OR TRUE");

    assertThat(plan.steps()).hasSize(1);
    assertThat(plan.differences())
        .extracting(Difference::kind)
        .containsExactly(DifferenceKind.VIEW_OUTDATED);
  }

  @Test
  void viewWhoseSqlWasNotRead_isJudgedByItsLabelsAlone() {
    assertThat(planWithViewSql(desired.viewLabels(view()), null).steps()).isEmpty();
  }
}
