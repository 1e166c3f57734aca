package dev.orgprovisioner.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.catalog.Violation.Rule;
import dev.orgprovisioner.testing.CatalogFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset settings of catalog.yml: read, and refused with a clear error per setting. */
class CatalogDatasetSettingsTest {

  private static final String KEY = "projects/p/locations/eu/keyRings/r/cryptoKeys/k";

  @TempDir Path tmp;

  private Path withOrgDataset(String lines) {
    Path root = CatalogFixtures.copy(CatalogFixtures.MINIMAL, tmp);
    CatalogFixtures.edit(
        root,
        "org/catalog.yml",
        "  description: Per-org test dataset.",
        "  description: Per-org test dataset.\n" + lines);
    return root;
  }

  @Test
  void settingsOfTheOrgDataset_areRead() {
    Path root =
        withOrgDataset(
            "  labels: {cost-center: cc_1}\n"
                + "  default_table_expiration_days: 90\n"
                + "  default_partition_expiration_days: 400\n"
                + "  max_time_travel_hours: 72\n"
                + "  default_kms_key_name: "
                + KEY);

    ScopeCatalog org = CatalogLoader.load(CatalogSource.directory(root)).org();

    assertThat(org.settings())
        .isEqualTo(
            new DatasetSettings(
                Duration.ofDays(90), Duration.ofDays(400), Duration.ofHours(72), KEY, Map.of()));
    assertThat(org.datasetSettings().labels()).containsEntry("cost-center", "cc_1");
  }

  @Test
  void theProjectCatalog_setsBigQuerysTimeTravelWindowExplicitly() {
    assertThat(CatalogFixtures.project().org().settings().maxTimeTravel())
        .isEqualTo(Duration.ofHours(168));
  }

  @Test
  void everyBadSetting_isAViolationNamingIt() {
    Path root =
        withOrgDataset(
            "  default_table_expiration_days: 0\n"
                + "  default_partition_expiration_days: 1.5\n"
                + "  max_time_travel_hours: 200\n"
                + "  default_kms_key_name: my-key");

    assertThatThrownBy(() -> CatalogLoader.load(CatalogSource.directory(root)))
        .isInstanceOfSatisfying(
            CatalogInvalidException.class,
            e ->
                assertThat(e.violations())
                    .filteredOn(v -> v.rule() == Rule.INVALID_DATASET_SETTING)
                    .extracting(Violation::column)
                    .containsExactlyInAnyOrder(
                        "dataset.default_table_expiration_days",
                        "dataset.default_partition_expiration_days",
                        "dataset.max_time_travel_hours",
                        "dataset.default_kms_key_name"));
    assertThatThrownBy(() -> CatalogLoader.load(CatalogSource.directory(root)))
        .hasMessageContaining("org/catalog.yml")
        .hasMessageContaining("dataset.max_time_travel_hours must be 48 to 168 hours")
        .hasMessageContaining("dataset.default_partition_expiration_days must be a whole number");
  }
}
