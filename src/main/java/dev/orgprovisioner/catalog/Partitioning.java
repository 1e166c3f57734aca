package dev.orgprovisioner.catalog;

/**
 * Time partitioning of a table: granularity, column, optional expiration and whether queries must
 * filter on the partition column.
 */
public record Partitioning(
    PartitionType type, String field, Long expirationDays, boolean requirePartitionFilter) {

  /** Whether two partitionings split the data the same way (type and column). */
  public boolean sameLayoutAs(Partitioning other) {
    return other != null && type == other.type && field.equalsIgnoreCase(other.field);
  }
}
