package dev.orgprovisioner.plan;

/** Table properties that can be changed in place without touching data. */
public enum TableOption {
  DESCRIPTION,
  LABELS,
  CLUSTERING,
  COLUMN_DESCRIPTIONS,
  PARTITION_EXPIRATION,
  REQUIRE_PARTITION_FILTER
}
