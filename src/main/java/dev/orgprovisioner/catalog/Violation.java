package dev.orgprovisioner.catalog;

/** One broken catalog rule, located as precisely as possible. */
public record Violation(String file, String table, String column, Rule rule, String message) {

  /** The catalog rules of docs/architecture.md §4, one constant per check. */
  public enum Rule {
    UNREADABLE_FILE,
    MISSING_FILE,
    UNLISTED_FILE,
    INVALID_CATALOG,
    INVALID_NAME,
    INVALID_TYPE,
    INVALID_MODE,
    RECORD_WITHOUT_FIELDS,
    FIELDS_ON_SCALAR,
    DUPLICATE_COLUMN,
    DUPLICATE_TABLE,
    MISSING_DESCRIPTION,
    MISSING_CREATED_AT,
    CENTRAL_TABLE_NAME,
    CENTRAL_MISSING_ORG_SLUG,
    CENTRAL_ORG_SLUG_NOT_FIRST_IN_CLUSTERING,
    PARTITION_FIELD_MISSING,
    PARTITION_FIELD_TYPE,
    CLUSTERING_TOO_MANY,
    CLUSTERING_FIELD_MISSING,
    CLUSTERING_FIELD_NOT_TOP_LEVEL,
    CLUSTERING_FIELD_REPEATED,
    CLUSTERING_FIELD_TYPE,
    INVALID_LABEL,
    INVALID_DATASET_SETTING,
    VIEW_UNKNOWN_REFERENCE,
    VIEW_UNKNOWN_PLACEHOLDER,
    VIEW_WITHOUT_ORG_FILTER
  }

  @Override
  public String toString() {
    StringBuilder where = new StringBuilder(file == null ? "<catalog>" : file);
    if (table != null) {
      where.append(" table=").append(table);
    }
    if (column != null) {
      where.append(" column=").append(column);
    }
    return where + " [" + rule + "] " + message;
  }
}
