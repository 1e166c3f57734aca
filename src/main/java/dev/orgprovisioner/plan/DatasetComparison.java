package dev.orgprovisioner.plan;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.catalog.DatasetSettings.Option;
import dev.orgprovisioner.plan.PlanStep.UpdateDataset;
import java.util.List;
import java.util.Objects;

/** Compares a dataset's own properties (location, description, labels, options) with the plan's. */
final class DatasetComparison {

  private DatasetComparison() {}

  /**
   * Adds the differences found and, when any can be fixed, the one update step that fixes all; a
   * dataset a newer catalog version synced keeps its labels, description and options.
   */
  static void compare(
      DesiredDataset desired,
      ObservedDataset obs,
      List<Difference> diffs,
      List<PlanStep> datasetUpdates) {
    if (desired.location() != null
        && obs.location() != null
        && !desired.location().equalsIgnoreCase(obs.location())) {
      diffs.add(
          new Difference(
              DifferenceKind.DATASET_LOCATION_CHANGED,
              null,
              null,
              desired.location(),
              obs.location()));
    }
    if (CatalogVersions.newerThan(obs.labels(), desired.catalog().version())) {
      diffs.add(Planner.newerVersion(null, desired.catalog().version(), obs.labels()));
      return;
    }
    boolean changed = false;
    if (!Planner.sameText(desired.catalog().description(), obs.description())
        || !Planner.containsAll(obs.labels(), desired.datasetLabels())) {
      diffs.add(
          new Difference(
              DifferenceKind.DATASET_OPTIONS_CHANGED,
              null,
              null,
              desired.datasetLabels().toString(),
              obs.labels().toString()));
      changed = true;
    }
    for (Option option : Option.values()) {
      Object want = option.of(desired.settings());
      if (want == null) {
        continue; // not managed: whatever is set stays
      }
      Object have = observed(option, obs.settings());
      if (!Objects.equals(want, have)) {
        diffs.add(
            new Difference(
                DifferenceKind.DATASET_OPTIONS_CHANGED,
                null,
                option.key(),
                option.text(want),
                have == null ? null : option.text(have)));
        changed = true;
      }
    }
    if (changed) {
      datasetUpdates.add(
          new UpdateDataset(
              desired.name(),
              desired.catalog().description(),
              desired.datasetLabels(),
              desired.settings()));
    }
  }

  /** The option in effect: a dataset that sets no time-travel window has BigQuery's default. */
  private static Object observed(Option option, DatasetSettings settings) {
    Object value = option.of(settings);
    return value == null && option == Option.MAX_TIME_TRAVEL
        ? DatasetSettings.DEFAULT_MAX_TIME_TRAVEL
        : value;
  }
}
