package dev.orgprovisioner.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** One column (or nested field) of a table schema, in BigQuery's model. */
public record Column(
    String name, FieldType type, FieldMode mode, String description, List<Column> fields) {

  public Column {
    fields = fields == null ? List.of() : List.copyOf(fields);
    mode = mode == null ? FieldMode.NULLABLE : mode;
  }

  /** A scalar column. */
  public static Column of(String name, FieldType type, FieldMode mode, String description) {
    return new Column(name, type, mode, description, List.of());
  }

  /** The nested field with this name (BigQuery names are case-insensitive). */
  public Optional<Column> field(String fieldName) {
    return find(fields, fieldName);
  }

  /** Finds a column by name, case-insensitively, as BigQuery resolves names. */
  public static Optional<Column> find(List<Column> columns, String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    return columns.stream()
        .filter(c -> c.name().toLowerCase(Locale.ROOT).equals(wanted))
        .findFirst();
  }

  public Column withMode(FieldMode newMode) {
    return new Column(name, type, newMode, description, fields);
  }

  public Column withDescription(String newDescription) {
    return new Column(name, type, mode, newDescription, fields);
  }

  public Column withFields(List<Column> newFields) {
    return new Column(name, type, mode, description, newFields);
  }
}
