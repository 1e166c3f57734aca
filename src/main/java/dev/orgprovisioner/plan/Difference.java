package dev.orgprovisioner.plan;

/**
 * One difference between the catalog and the warehouse.
 *
 * @param object the table or view concerned (null for the dataset itself)
 * @param path the column path (dotted for nested fields), or null
 */
public record Difference(
    DifferenceKind kind, String object, String path, String expected, String observed) {

  public Classification classification() {
    return kind.classification();
  }
}
