package dev.orgprovisioner.catalog;

import java.util.Locale;
import java.util.Optional;

/** The BigQuery column types the catalog may declare, with their legacy aliases folded in. */
public enum FieldType {
  STRING,
  BYTES,
  INT64,
  FLOAT64,
  NUMERIC,
  BIGNUMERIC,
  BOOL,
  DATE,
  DATETIME,
  TIME,
  TIMESTAMP,
  JSON,
  GEOGRAPHY,
  STRUCT;

  /** Parses a BigQuery type name, accepting the legacy names the REST API returns. */
  public static Optional<FieldType> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String upper = name.trim().toUpperCase(Locale.ROOT);
    return Optional.ofNullable(
        switch (upper) {
          case "INTEGER", "INT64" -> INT64;
          case "FLOAT", "FLOAT64" -> FLOAT64;
          case "BOOLEAN", "BOOL" -> BOOL;
          case "RECORD", "STRUCT" -> STRUCT;
          case "BIGDECIMAL", "BIGNUMERIC" -> BIGNUMERIC;
          case "DECIMAL", "NUMERIC" -> NUMERIC;
          case "STRING", "BYTES", "DATE", "DATETIME", "TIME", "TIMESTAMP", "JSON", "GEOGRAPHY" ->
              valueOf(upper);
          default -> null;
        });
  }

  /** Whether BigQuery accepts the type as a clustering column. */
  public boolean isClusterable() {
    return switch (this) {
      case STRING, INT64, BOOL, DATE, DATETIME, TIMESTAMP, NUMERIC, BIGNUMERIC, GEOGRAPHY -> true;
      default -> false;
    };
  }

  /** Whether BigQuery accepts the type as a time-partitioning column. */
  public boolean isTimePartitionable() {
    return this == DATE || this == TIMESTAMP || this == DATETIME;
  }

  /** The name BigQuery's REST API uses in table schemas. */
  public String restName() {
    return switch (this) {
      case INT64 -> "INTEGER";
      case FLOAT64 -> "FLOAT";
      case BOOL -> "BOOLEAN";
      case STRUCT -> "RECORD";
      default -> name();
    };
  }
}
