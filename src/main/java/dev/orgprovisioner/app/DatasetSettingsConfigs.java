package dev.orgprovisioner.app;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.catalog.DatasetSettings.Option;
import dev.orgprovisioner.catalog.DatasetSettingsRules;
import dev.orgprovisioner.command.OrgSlug;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the configured dataset settings into the domain's, refusing values BigQuery would. */
final class DatasetSettingsConfigs {

  static final String DEFAULTS = "provisioner.dataset-settings";
  static final String PER_ORG = "provisioner.org-dataset-settings";

  private DatasetSettingsConfigs() {}

  /** The configured defaults; throws naming every bad key. */
  static DatasetSettings defaults(ProvisionerConfig config) {
    List<String> problems = new ArrayList<>();
    DatasetSettings out = convert(config.datasetSettings(), DEFAULTS, problems);
    fail(problems);
    return out;
  }

  /** The per-org settings, by slug; throws naming every bad key. */
  static Map<String, DatasetSettings> perOrg(ProvisionerConfig config) {
    List<String> problems = new ArrayList<>();
    Map<String, DatasetSettings> out = new LinkedHashMap<>();
    config
        .orgDatasetSettings()
        .forEach(
            (slug, settings) -> {
              String prefix = PER_ORG + "." + slug;
              if (!OrgSlug.isValid(slug)) {
                problems.add(prefix + ": '" + slug + "' is not an org slug ([a-z0-9_]{3,50})");
              }
              out.put(slug, convert(settings, prefix, problems));
            });
    fail(problems);
    return out;
  }

  private static DatasetSettings convert(
      ProvisionerConfig.DatasetSettingsOverride c, String prefix, List<String> problems) {
    DatasetSettings s =
        new DatasetSettings(
            c.defaultTableExpiration().orElse(null),
            c.defaultPartitionExpiration().orElse(null),
            c.maxTimeTravel().orElse(null),
            c.defaultKmsKeyName().orElse(null),
            c.labels());
    for (DatasetSettingsRules.Problem p : DatasetSettingsRules.check(s)) {
      problems.add(prefix + "." + configKey(p.field()) + ": " + p.message());
    }
    return s;
  }

  /** The configuration key of a setting named as in the catalog. */
  private static String configKey(String field) {
    for (Option o : Option.values()) {
      if (o.key().equals(field)) {
        return switch (o) {
          case DEFAULT_TABLE_EXPIRATION -> "default-table-expiration";
          case DEFAULT_PARTITION_EXPIRATION -> "default-partition-expiration";
          case MAX_TIME_TRAVEL -> "max-time-travel";
          case DEFAULT_KMS_KEY -> "default-kms-key-name";
        };
      }
    }
    return field; // labels, labels.<key>
  }

  private static void fail(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid dataset settings in the configuration: " + String.join("; ", problems));
    }
  }
}
