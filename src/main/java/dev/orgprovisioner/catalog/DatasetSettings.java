package dev.orgprovisioner.catalog;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The options of a dataset beyond its schema: default table and partition expiration, time-travel
 * window, default CMEK key and labels (e.g. for billing). A null option is not managed: it is
 * neither set nor compared.
 *
 * @param defaultTableExpiration lifetime of new tables
 * @param defaultPartitionExpiration lifetime of the partitions of new partitioned tables
 * @param maxTimeTravel how far back time travel reaches (BigQuery: 48 to 168 hours, whole days)
 * @param defaultKmsKeyName the Cloud KMS key new tables are encrypted with (full resource name)
 * @param labels dataset labels on top of those the provisioner sets itself
 */
public record DatasetSettings(
    Duration defaultTableExpiration,
    Duration defaultPartitionExpiration,
    Duration maxTimeTravel,
    String defaultKmsKeyName,
    Map<String, String> labels) {

  /** Nothing managed. */
  public static final DatasetSettings NONE = new DatasetSettings(null, null, null, null, Map.of());

  /** BigQuery's time-travel window of a dataset that sets none. */
  public static final Duration DEFAULT_MAX_TIME_TRAVEL = Duration.ofHours(168);

  public DatasetSettings {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** The options, named as in the catalog, the onboarding command and INFORMATION_SCHEMA. */
  public enum Option {
    DEFAULT_TABLE_EXPIRATION("default_table_expiration_days"),
    DEFAULT_PARTITION_EXPIRATION("default_partition_expiration_days"),
    MAX_TIME_TRAVEL("max_time_travel_hours"),
    DEFAULT_KMS_KEY("default_kms_key_name");

    private final String key;

    Option(String key) {
      this.key = key;
    }

    /** The option's name in the catalog, the command and INFORMATION_SCHEMA.SCHEMATA_OPTIONS. */
    public String key() {
      return key;
    }

    /** The option's value in {@code s}, or null. */
    public Object of(DatasetSettings s) {
      return switch (this) {
        case DEFAULT_TABLE_EXPIRATION -> s.defaultTableExpiration();
        case DEFAULT_PARTITION_EXPIRATION -> s.defaultPartitionExpiration();
        case MAX_TIME_TRAVEL -> s.maxTimeTravel();
        case DEFAULT_KMS_KEY -> s.defaultKmsKeyName();
      };
    }

    /** The value as its key reads: days or hours (fractions when not whole), or the key name. */
    public String text(Object value) {
      if (value instanceof Duration d) {
        double units =
            this == MAX_TIME_TRAVEL ? d.toMillis() / 3_600_000.0 : d.toMillis() / 86_400_000.0;
        return units == Math.rint(units) ? String.valueOf((long) units) : String.valueOf(units);
      }
      return Objects.toString(value);
    }
  }

  /** The name of the labels in the catalog and the onboarding command. */
  public static final String LABELS = "labels";

  public DatasetSettings withLabels(Map<String, String> l) {
    return new DatasetSettings(
        defaultTableExpiration, defaultPartitionExpiration, maxTimeTravel, defaultKmsKeyName, l);
  }

  /** Whether nothing is managed. */
  public boolean isEmpty() {
    return equals(NONE);
  }

  /** These settings with every option {@code over} sets replacing ours; labels merged by key. */
  public DatasetSettings overriddenBy(DatasetSettings over) {
    if (over == null) {
      return this;
    }
    Map<String, String> merged = new LinkedHashMap<>(labels);
    merged.putAll(over.labels());
    return new DatasetSettings(
        first(over.defaultTableExpiration, defaultTableExpiration),
        first(over.defaultPartitionExpiration, defaultPartitionExpiration),
        first(over.maxTimeTravel, maxTimeTravel),
        first(over.defaultKmsKeyName, defaultKmsKeyName),
        merged);
  }

  private static <T> T first(T preferred, T fallback) {
    return preferred != null ? preferred : fallback;
  }
}
