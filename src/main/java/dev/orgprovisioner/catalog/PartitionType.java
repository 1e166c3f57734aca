package dev.orgprovisioner.catalog;

/** Granularity of BigQuery time partitioning. */
public enum PartitionType {
  HOUR,
  DAY,
  MONTH,
  YEAR
}
