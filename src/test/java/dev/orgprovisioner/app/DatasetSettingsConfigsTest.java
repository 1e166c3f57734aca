package dev.orgprovisioner.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.testing.ConfigDefaults;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configured dataset settings, read as Quarkus reads them and checked before start-up. */
class DatasetSettingsConfigsTest {

  private static ProvisionerConfig config(Map<String, String> properties) {
    return ConfigDefaults.quarkusConverters(new SmallRyeConfigBuilder())
        .withSources(new PropertiesConfigSource(properties, "test", 300))
        .withMapping(ProvisionerConfig.class)
        .build()
        .getConfigMapping(ProvisionerConfig.class);
  }

  @Test
  void nothingConfigured_overridesNothing() {
    ProvisionerConfig none = ConfigDefaults.of(ProvisionerConfig.class);

    assertThat(DatasetSettingsConfigs.defaults(none)).isEqualTo(DatasetSettings.NONE);
    assertThat(DatasetSettingsConfigs.perOrg(none)).isEmpty();
  }

  @Test
  void defaultsAndPerOrgSettings_areRead() {
    ProvisionerConfig c =
        config(
            Map.of(
                "provisioner.dataset-settings.default-table-expiration", "90d",
                "provisioner.dataset-settings.max-time-travel", "72h",
                "provisioner.dataset-settings.labels.env", "prod",
                "provisioner.org-dataset-settings.acme.default-partition-expiration", "400d",
                "provisioner.org-dataset-settings.acme.default-kms-key-name",
                    "projects/p/locations/eu/keyRings/r/cryptoKeys/k",
                "provisioner.org-dataset-settings.acme.labels.cost-center", "cc_1"));

    assertThat(DatasetSettingsConfigs.defaults(c))
        .isEqualTo(
            new DatasetSettings(
                Duration.ofDays(90), null, Duration.ofHours(72), null, Map.of("env", "prod")));
    assertThat(DatasetSettingsConfigs.perOrg(c))
        .containsOnlyKeys("acme")
        .hasEntrySatisfying(
            "acme",
            s -> {
              assertThat(s.defaultPartitionExpiration()).isEqualTo(Duration.ofDays(400));
              assertThat(s.defaultKmsKeyName()).endsWith("/cryptoKeys/k");
              assertThat(s.labels()).containsEntry("cost-center", "cc_1");
            });
  }

  @Test
  void badValues_stopTheStartUpNamingEveryKey() {
    ProvisionerConfig c =
        config(
            Map.of(
                "provisioner.dataset-settings.max-time-travel", "36h",
                "provisioner.org-dataset-settings.acme.default-kms-key-name", "my-key",
                "provisioner.org-dataset-settings.acme.labels.Cost", "x",
                "provisioner.org-dataset-settings.Bad-Org.default-table-expiration", "1d"));

    assertThatThrownBy(() -> DatasetSettingsConfigs.defaults(c))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("provisioner.dataset-settings.max-time-travel: must be 48 to 168");
    assertThatThrownBy(() -> DatasetSettingsConfigs.perOrg(c))
        .hasMessageContaining("provisioner.org-dataset-settings.acme.default-kms-key-name:")
        .hasMessageContaining("provisioner.org-dataset-settings.acme.labels.Cost:")
        .hasMessageContaining(
            "provisioner.org-dataset-settings.Bad-Org: 'Bad-Org' is not an org slug");
  }
}
