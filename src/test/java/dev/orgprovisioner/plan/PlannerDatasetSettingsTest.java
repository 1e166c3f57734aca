package dev.orgprovisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.plan.PlanStep.CreateDataset;
import dev.orgprovisioner.plan.PlanStep.UpdateDataset;
import dev.orgprovisioner.testing.CatalogFixtures;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The planner sets a dataset's settings when it creates it and restores them when they drift. */
class PlannerDatasetSettingsTest {

  private static final String KEY = "projects/p/locations/eu/keyRings/r/cryptoKeys/k";
  private static final DatasetSettings SETTINGS =
      new DatasetSettings(
          Duration.ofDays(90),
          Duration.ofDays(400),
          Duration.ofHours(72),
          KEY,
          Map.of("cost-center", "cc_1"));

  private final DesiredDataset desired =
      new DesiredDataset(
          "acme_local",
          "EU",
          CatalogFixtures.minimal().org(),
          "organizations",
          "acme",
          CatalogFixtures.minimal().org().datasetSettings().overriddenBy(SETTINGS));

  private static final ViewRenderer TEMPLATE = v -> v.view().template();

  /** The dataset alone (no tables or views), with these options and labels. */
  private ObservedDataset observed(DatasetSettings options, Map<String, String> labels) {
    return new ObservedDataset(
        desired.name(), desired.catalog().description(), "EU", labels, options, Map.of(), Map.of());
  }

  private Plan datasetPlanOf(ObservedDataset obs) {
    Plan plan = Planner.plan(desired, Optional.of(obs), TEMPLATE);
    return new Plan(
        plan.dataset(),
        plan.steps().stream().filter(s -> s instanceof UpdateDataset).toList(),
        plan.differences().stream()
            .filter(d -> d.kind() == DifferenceKind.DATASET_OPTIONS_CHANGED)
            .toList());
  }

  @Test
  void newDataset_isCreatedWithItsSettingsAndLabels() {
    Plan plan = Planner.plan(desired, Optional.empty(), TEMPLATE);

    assertThat(plan.steps().get(0))
        .isInstanceOfSatisfying(
            CreateDataset.class,
            c -> {
              assertThat(c.settings()).isEqualTo(SETTINGS.withLabels(Map.of()));
              assertThat(c.labels())
                  .containsEntry("cost-center", "cc_1")
                  .containsEntry("managed-by", "org-provisioner");
            });
  }

  @Test
  void datasetWithItsSettings_needsNothing() {
    assertThat(datasetPlanOf(observed(SETTINGS, desired.datasetLabels())).steps()).isEmpty();
  }

  @Test
  void settingsChangedByHand_areEachAnAdditiveDifference_fixedByOneUpdate() {
    DatasetSettings byHand =
        new DatasetSettings(
            Duration.ofDays(1),
            Duration.ofDays(400),
            Duration.ofHours(168),
            "projects/p/locations/eu/keyRings/r/cryptoKeys/other",
            Map.of());
    Map<String, String> labels = new LinkedHashMap<>(desired.datasetLabels());
    labels.put("cost-center", "someone_else");

    Plan plan = datasetPlanOf(observed(byHand, labels));

    assertThat(plan.differences())
        .extracting(Difference::path, Difference::expected, Difference::observed)
        .contains(
            org.assertj.core.groups.Tuple.tuple("default_table_expiration_days", "90", "1"),
            org.assertj.core.groups.Tuple.tuple("max_time_travel_hours", "72", "168"),
            org.assertj.core.groups.Tuple.tuple(
                "default_kms_key_name",
                KEY,
                "projects/p/locations/eu/keyRings/r/cryptoKeys/other"));
    assertThat(plan.differences()).hasSize(4); // three options, and the labels
    assertThat(plan.differences())
        .allSatisfy(d -> assertThat(d.classification()).isEqualTo(Classification.ADDITIVE));
    assertThat(plan.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            UpdateDataset.class,
            u -> {
              assertThat(u.settings()).isEqualTo(SETTINGS.withLabels(Map.of()));
              assertThat(u.labels()).containsEntry("cost-center", "cc_1");
            });
  }

  @Test
  void aDatasetThatSetsNoTimeTravel_hasBigQuerysDefault() {
    DesiredDataset week =
        new DesiredDataset(
            desired.name(),
            "EU",
            desired.catalog(),
            "organizations",
            "acme",
            new DatasetSettings(null, null, Duration.ofHours(168), null, Map.of()));

    Plan plan =
        Planner.plan(
            week,
            Optional.of(
                new ObservedDataset(
                    week.name(),
                    week.catalog().description(),
                    "EU",
                    week.datasetLabels(),
                    DatasetSettings.NONE,
                    Map.of(),
                    Map.of())),
            TEMPLATE);

    assertThat(plan.differences())
        .noneMatch(d -> d.kind() == DifferenceKind.DATASET_OPTIONS_CHANGED);
  }

  @Test
  void optionsNoLevelSets_areLeftAsTheyAre() {
    DesiredDataset unmanaged =
        new DesiredDataset(
            desired.name(), "EU", desired.catalog(), "organizations", "acme", DatasetSettings.NONE);
    ObservedDataset obs =
        new ObservedDataset(
            unmanaged.name(),
            unmanaged.catalog().description(),
            "EU",
            unmanaged.datasetLabels(),
            SETTINGS,
            Map.of(),
            Map.of());

    assertThat(Planner.plan(unmanaged, Optional.of(obs), TEMPLATE).differences())
        .noneMatch(d -> d.kind() == DifferenceKind.DATASET_OPTIONS_CHANGED);
  }
}
