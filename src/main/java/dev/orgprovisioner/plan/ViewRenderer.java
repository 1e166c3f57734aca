package dev.orgprovisioner.plan;

import dev.orgprovisioner.plan.PlanStep.CreateOrReplaceView;

/** Renders a view step into the SQL text the warehouse creates the view with. */
@FunctionalInterface
public interface ViewRenderer {

  String sql(CreateOrReplaceView view);
}
