package dev.orgprovisioner.warehouse.bigquery;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.LegacySQLTypeName;
import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.FieldType;
import dev.orgprovisioner.plan.PlanStep.ColumnAddition;
import dev.orgprovisioner.warehouse.Identifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Converts catalog columns to BigQuery fields and edits existing schemas without losing data. */
final class BigQuerySchemas {

  private BigQuerySchemas() {}

  static List<Field> fields(List<Column> columns) {
    return columns.stream().map(BigQuerySchemas::field).toList();
  }

  static Field field(Column c) {
    Identifiers.name(c.name());
    Field.Builder b =
        c.type() == FieldType.STRUCT
            ? Field.newBuilder(c.name(), LegacySQLTypeName.RECORD, FieldList.of(fields(c.fields())))
            : Field.newBuilder(c.name(), LegacySQLTypeName.valueOfStrict(c.type().restName()));
    b.setMode(Field.Mode.valueOf(c.mode().name()));
    if (c.description() != null) {
      b.setDescription(c.description());
    }
    return b.build();
  }

  /** The result of a schema edit: the new fields and whether anything changed. */
  record Edit(List<Field> fields, boolean changed) {}

  /**
   * Inserts every addition at its place (nested ones into their RECORD). Additions already present
   * are skipped, so a retried step changes nothing.
   */
  static Edit addColumns(List<Field> current, List<ColumnAddition> additions) {
    List<Field> fields = new ArrayList<>(current);
    boolean changed = false;
    for (ColumnAddition a : additions) {
      String[] parent = a.parentPath().isEmpty() ? new String[0] : a.parentPath().split("\\.");
      Edit e = addAt(fields, parent, 0, field(a.column()));
      fields = new ArrayList<>(e.fields());
      changed |= e.changed();
    }
    return new Edit(List.copyOf(fields), changed);
  }

  private static Edit addAt(List<Field> fields, String[] parent, int depth, Field added) {
    if (depth == parent.length) {
      if (find(fields, added.getName()).isPresent()) {
        return new Edit(fields, false);
      }
      List<Field> out = new ArrayList<>(fields);
      out.add(added);
      return new Edit(out, true);
    }
    int i = indexOf(fields, parent[depth]);
    if (i < 0 || fields.get(i).getType() != LegacySQLTypeName.RECORD) {
      throw new IllegalArgumentException(
          "cannot add " + added.getName() + ": no RECORD " + String.join(".", parent));
    }
    Field record = fields.get(i);
    Edit inner = addAt(subFields(record), parent, depth + 1, added);
    return new Edit(replace(fields, i, withSubFields(record, inner.fields())), inner.changed());
  }

  /** Sets the mode of every REQUIRED field named by a dotted path to NULLABLE. */
  static Edit relax(List<Field> current, List<String> paths) {
    List<Field> fields = current;
    boolean changed = false;
    for (String path : paths) {
      Edit e = relaxAt(fields, path.split("\\."), 0);
      fields = e.fields();
      changed |= e.changed();
    }
    return new Edit(fields, changed);
  }

  private static Edit relaxAt(List<Field> fields, String[] path, int depth) {
    int i = indexOf(fields, path[depth]);
    if (i < 0) {
      throw new IllegalArgumentException("no column " + String.join(".", path) + " to relax");
    }
    Field f = fields.get(i);
    if (depth == path.length - 1) {
      if (f.getMode() != Field.Mode.REQUIRED) {
        return new Edit(fields, false);
      }
      return new Edit(replace(fields, i, f.toBuilder().setMode(Field.Mode.NULLABLE).build()), true);
    }
    Edit inner = relaxAt(subFields(f), path, depth + 1);
    return new Edit(replace(fields, i, withSubFields(f, inner.fields())), inner.changed());
  }

  /** Copies the declared descriptions onto the existing fields they name, at every depth. */
  static Edit describe(List<Field> current, List<Column> declared) {
    List<Field> out = new ArrayList<>(current.size());
    boolean changed = false;
    for (Field f : current) {
      Optional<Column> want = Column.find(declared, f.getName());
      if (want.isEmpty()) {
        out.add(f);
        continue;
      }
      Field updated = f;
      String description = want.get().description();
      if (description != null && !description.equals(f.getDescription())) {
        updated = updated.toBuilder().setDescription(description).build();
        changed = true;
      }
      if (f.getType() == LegacySQLTypeName.RECORD) {
        Edit inner = describe(subFields(f), want.get().fields());
        if (inner.changed()) {
          updated = withSubFields(updated, inner.fields());
          changed = true;
        }
      }
      out.add(updated);
    }
    return new Edit(List.copyOf(out), changed);
  }

  private static List<Field> subFields(Field f) {
    return f.getSubFields() == null ? List.of() : new ArrayList<>(f.getSubFields());
  }

  private static Field withSubFields(Field record, List<Field> sub) {
    return record.toBuilder().setType(LegacySQLTypeName.RECORD, FieldList.of(sub)).build();
  }

  private static List<Field> replace(List<Field> fields, int i, Field f) {
    List<Field> out = new ArrayList<>(fields);
    out.set(i, f);
    return out;
  }

  private static Optional<Field> find(List<Field> fields, String name) {
    int i = indexOf(fields, name);
    return i < 0 ? Optional.empty() : Optional.of(fields.get(i));
  }

  private static int indexOf(List<Field> fields, String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).getName().toLowerCase(Locale.ROOT).equals(wanted)) {
        return i;
      }
    }
    return -1;
  }
}
