package dev.orgprovisioner.testing;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.Warehouse;
import java.util.Map;

/** Makes an empty dataset for tests that then add tables by hand (SQL or the stub). */
public final class EmptyDatasets {

  private EmptyDatasets() {}

  /** Creates {@code dataset} in the EU with no tables; nothing when it exists. */
  public static void create(Warehouse warehouse, String dataset) {
    warehouse.apply(
        new PlanStep.CreateDataset(dataset, "EU", null, Map.of(), DatasetSettings.NONE));
  }
}
