package dev.orgprovisioner.plan;

import dev.orgprovisioner.catalog.ViewDef;
import dev.orgprovisioner.plan.PlanStep.CreateOrReplaceView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A plan that replaces every view of the catalog, up to date or not (a sync's {@code views:
 * "recreate"}): for a view edited in a way the comparison tolerates, or whose sources changed.
 */
public final class ForcedViews {

  private ForcedViews() {}

  /**
   * {@code plan} with one create-or-replace step per catalog view, in catalog order after every
   * other step; a view whose name a table holds is still never replaced (that would drop data), nor
   * one a newer catalog version wrote. The drift report stays as the comparison found it.
   */
  public static Plan of(Plan plan, DesiredDataset desired, Optional<ObservedDataset> observed) {
    List<PlanStep> steps = new ArrayList<>();
    plan.steps().stream().filter(s -> !(s instanceof CreateOrReplaceView)).forEach(steps::add);
    for (ViewDef view : desired.catalog().views()) {
      boolean newer =
          observed
              .flatMap(o -> o.view(view.name()))
              .filter(v -> CatalogVersions.newerThan(v.labels(), desired.catalog().version()))
              .isPresent();
      if (observed.flatMap(o -> o.table(view.name())).isEmpty() && !newer) {
        steps.add(
            new CreateOrReplaceView(
                desired.name(),
                desired.centralDataset(),
                view,
                desired.orgSlug(),
                desired.viewLabels(view)));
      }
    }
    return new Plan(plan.dataset(), steps, plan.differences());
  }
}
