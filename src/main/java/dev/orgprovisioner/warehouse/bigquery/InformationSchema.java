package dev.orgprovisioner.warehouse.bigquery;

import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.FieldType;
import dev.orgprovisioner.catalog.PartitionType;
import dev.orgprovisioner.catalog.Partitioning;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.ObservedTable;
import dev.orgprovisioner.plan.ObservedView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The bulk INFORMATION_SCHEMA queries and the parsing of their rows into observed datasets. */
final class InformationSchema {

  /** The views read, in the order they are queried. */
  enum View {
    SCHEMATA("SELECT schema_name, location FROM %s WHERE schema_name IN UNNEST(@datasets)"),
    SCHEMATA_OPTIONS(
        "SELECT schema_name, option_name, option_value FROM %s"
            + " WHERE schema_name IN UNNEST(@datasets) AND option_name IN ('description', 'labels')"),
    TABLES(
        "SELECT table_schema, table_name, table_type,"
            + " REGEXP_EXTRACT(ddl, r'(?m)^PARTITION BY .*$') AS partition_by"
            + " FROM %s WHERE table_schema IN UNNEST(@datasets)"),
    TABLE_OPTIONS(
        "SELECT table_schema, table_name, option_name, option_value FROM %s"
            + " WHERE table_schema IN UNNEST(@datasets) AND option_name IN ('description',"
            + " 'labels', 'partition_expiration_days', 'require_partition_filter')"),
    // The two large views come back as one row per table with a JSON array of its columns:
    // the client decodes every result cell reflectively, which dominates a fleet's snapshot.
    COLUMNS(
        "SELECT table_schema, table_name, TO_JSON_STRING(ARRAY_AGG(STRUCT(column_name,"
            + " ordinal_position, is_nullable, is_system_defined, is_partitioning_column,"
            + " clustering_ordinal_position))) AS columns"
            + " FROM %s WHERE table_schema IN UNNEST(@datasets) GROUP BY table_schema, table_name"),
    COLUMN_FIELD_PATHS(
        "SELECT table_schema, table_name, TO_JSON_STRING(ARRAY_AGG(STRUCT(field_path,"
            + " data_type, description))) AS fields"
            + " FROM %s WHERE table_schema IN UNNEST(@datasets) GROUP BY table_schema, table_name");

    private final String template;

    View(String template) {
      this.template = template;
    }

    /** The query over this view for every dataset of the project in one region. */
    String sql(String projectId, String location) {
      return String.format(
          template, "`" + projectId + "`.`" + region(location) + "`.INFORMATION_SCHEMA." + name());
    }
  }

  static String region(String location) {
    return "region-" + location.toLowerCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------- rows

  record SchemaRow(String dataset, String location) {}

  /** An option of a dataset ({@code table} null) or of a table or view. */
  record OptionRow(String dataset, String table, String name, String value) {}

  record TableRow(String dataset, String table, String type, String partitionBy) {}

  record ColumnRow(
      String dataset,
      String table,
      String column,
      long ordinal,
      boolean nullable,
      boolean systemDefined,
      boolean partitioning,
      Long clusteringOrdinal) {}

  record FieldPathRow(
      String dataset, String table, String path, String dataType, String description) {}

  /** Everything read for a set of datasets, from one or more regions. */
  record Rows(
      List<SchemaRow> schemata,
      List<OptionRow> schemaOptions,
      List<TableRow> tables,
      List<OptionRow> tableOptions,
      List<ColumnRow> columns,
      List<FieldPathRow> fieldPaths) {

    static Rows empty() {
      return new Rows(
          new ArrayList<>(),
          new ArrayList<>(),
          new ArrayList<>(),
          new ArrayList<>(),
          new ArrayList<>(),
          new ArrayList<>());
    }

    void addAll(Rows other) {
      schemata.addAll(other.schemata);
      schemaOptions.addAll(other.schemaOptions);
      tables.addAll(other.tables);
      tableOptions.addAll(other.tableOptions);
      columns.addAll(other.columns);
      fieldPaths.addAll(other.fieldPaths);
    }
  }

  // ---------------------------------------------------------------- assembly

  /** Rebuilds the observed datasets; a dataset without a SCHEMATA row does not exist. */
  static Map<String, ObservedDataset> assemble(Rows rows) {
    Map<String, Map<String, String>> dsOptions = new HashMap<>();
    rows.schemaOptions()
        .forEach(
            o ->
                dsOptions
                    .computeIfAbsent(key(o.dataset()), k -> new HashMap<>())
                    .put(o.name(), o.value()));
    Map<String, Map<String, String>> tOptions = new HashMap<>();
    rows.tableOptions()
        .forEach(
            o ->
                tOptions
                    .computeIfAbsent(key(o.dataset(), o.table()), k -> new HashMap<>())
                    .put(o.name(), o.value()));
    Map<String, List<ColumnRow>> columns = new HashMap<>();
    rows.columns()
        .forEach(
            c ->
                columns
                    .computeIfAbsent(key(c.dataset(), c.table()), k -> new ArrayList<>())
                    .add(c));
    Map<String, FieldPathRow> paths = new HashMap<>();
    rows.fieldPaths()
        .forEach(p -> paths.put(key(p.dataset(), p.table(), p.path().toLowerCase(Locale.ROOT)), p));
    Map<String, List<TableRow>> tables = new HashMap<>();
    rows.tables()
        .forEach(t -> tables.computeIfAbsent(key(t.dataset()), k -> new ArrayList<>()).add(t));

    Map<String, ObservedDataset> out = new LinkedHashMap<>();
    for (SchemaRow s : rows.schemata()) {
      Map<String, String> options = dsOptions.getOrDefault(key(s.dataset()), Map.of());
      Map<String, ObservedTable> observedTables = new LinkedHashMap<>();
      Map<String, ObservedView> observedViews = new LinkedHashMap<>();
      for (TableRow t : tables.getOrDefault(key(s.dataset()), List.of())) {
        Map<String, String> to = tOptions.getOrDefault(key(t.dataset(), t.table()), Map.of());
        String description = stringLiteral(to.get("description"));
        Map<String, String> labels = labels(to.get("labels"));
        if (t.type() != null && t.type().toUpperCase(Locale.ROOT).contains("VIEW")) {
          observedViews.put(t.table(), new ObservedView(t.table(), description, labels));
          continue;
        }
        List<ColumnRow> cols =
            columns.getOrDefault(key(t.dataset(), t.table()), List.of()).stream()
                .sorted(Comparator.comparingLong(ColumnRow::ordinal))
                .toList();
        List<Column> observed = new ArrayList<>();
        String partitionField = null;
        List<ColumnRow> clustered = new ArrayList<>();
        for (ColumnRow c : cols) {
          if (c.partitioning()) {
            partitionField = c.column();
          }
          if (c.clusteringOrdinal() != null) {
            clustered.add(c);
          }
          if (c.systemDefined()) {
            continue; // _PARTITIONTIME and friends: not part of the declared schema
          }
          observed.add(column(c, t, paths));
        }
        clustered.sort(Comparator.comparingLong(ColumnRow::clusteringOrdinal));
        Partitioning partitioning = null;
        if (partitionField != null || t.partitionBy() != null) {
          partitioning =
              new Partitioning(
                  partitionType(t.partitionBy()),
                  partitionField != null ? partitionField : "_PARTITIONTIME",
                  expirationDays(to.get("partition_expiration_days")),
                  "true".equalsIgnoreCase(strip(to.get("require_partition_filter"))));
        }
        observedTables.put(
            t.table(),
            new ObservedTable(
                t.table(),
                description,
                observed,
                partitioning,
                clustered.stream().map(ColumnRow::column).toList(),
                labels));
      }
      out.put(
          s.dataset(),
          new ObservedDataset(
              s.dataset(),
              stringLiteral(options.get("description")),
              s.location(),
              labels(options.get("labels")),
              observedTables,
              observedViews));
    }
    return out;
  }

  private static Column column(ColumnRow c, TableRow t, Map<String, FieldPathRow> paths) {
    FieldPathRow top = paths.get(key(t.dataset(), t.table(), c.column().toLowerCase(Locale.ROOT)));
    ParsedType type = top == null ? null : parseType(top.dataType());
    FieldMode mode =
        type != null && type.repeated()
            ? FieldMode.REPEATED
            : c.nullable() ? FieldMode.NULLABLE : FieldMode.REQUIRED;
    return build(c.column(), c.column(), type, mode, t, paths);
  }

  private static Column build(
      String name,
      String path,
      ParsedType type,
      FieldMode mode,
      TableRow t,
      Map<String, FieldPathRow> paths) {
    FieldPathRow row = paths.get(key(t.dataset(), t.table(), path.toLowerCase(Locale.ROOT)));
    String description = row == null ? null : row.description();
    List<Column> fields = new ArrayList<>();
    if (type != null && type.fields() != null) {
      for (ParsedField f : type.fields()) {
        FieldMode m =
            f.type().repeated()
                ? FieldMode.REPEATED
                : f.notNull() ? FieldMode.REQUIRED : FieldMode.NULLABLE;
        fields.add(build(f.name(), path + "." + f.name(), f.type(), m, t, paths));
      }
    }
    // An unknown type (INTERVAL, RANGE...) stays null: the planner reports it as a type change.
    return new Column(
        name, type == null ? null : type.type(), mode, blankToNull(description), fields);
  }

  private static String key(String... parts) {
    return String.join("\u0000", parts).toLowerCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------- data_type parsing

  /** A parsed GoogleSQL type: the element type when {@code repeated} (an ARRAY). */
  record ParsedType(FieldType type, boolean repeated, List<ParsedField> fields) {}

  record ParsedField(String name, ParsedType type, boolean notNull) {}

  /**
   * Parses a GoogleSQL type as INFORMATION_SCHEMA prints it, e.g. {@code ARRAY<STRUCT<sku STRING
   * NOT NULL, cost FLOAT64>>}, {@code STRING(10)}, {@code NUMERIC(10, 2)}.
   */
  static ParsedType parseType(String dataType) {
    if (dataType == null) {
      return null;
    }
    TypeParser p = new TypeParser(dataType);
    ParsedType t = p.type();
    return t;
  }

  private static final class TypeParser {
    private final String s;
    private int i;

    TypeParser(String s) {
      this.s = s;
    }

    ParsedType type() {
      skipSpace();
      String word = word();
      String upper = word.toUpperCase(Locale.ROOT);
      if (upper.equals("ARRAY")) {
        expect('<');
        ParsedType element = type();
        expect('>');
        return new ParsedType(element.type(), true, element.fields());
      }
      if (upper.equals("STRUCT")) {
        expect('<');
        List<ParsedField> fields = new ArrayList<>();
        skipSpace();
        while (peek() != '>' && i < s.length()) {
          String name = name();
          ParsedType ft = type();
          boolean notNull = skipModifiers();
          fields.add(new ParsedField(name, ft, notNull));
          skipSpace();
          if (peek() == ',') {
            i++;
            skipSpace();
          }
        }
        expect('>');
        return new ParsedType(FieldType.STRUCT, false, fields);
      }
      skipSpace();
      if (peek() == '(') {
        skipBalanced('(', ')'); // STRING(10), NUMERIC(10, 2)
      }
      if (peek() == '<') {
        skipBalanced('<', '>'); // RANGE<DATE>
      }
      return new ParsedType(FieldType.parse(upper).orElse(null), false, null);
    }

    /** Skips NOT NULL, COLLATE '...', OPTIONS(...), DEFAULT ...; true when NOT NULL was seen. */
    private boolean skipModifiers() {
      boolean notNull = false;
      while (true) {
        skipSpace();
        char c = peek();
        if (c == ',' || c == '>' || c == 0) {
          return notNull;
        }
        if (c == '(') {
          skipBalanced('(', ')');
          continue;
        }
        if (c == '\'' || c == '"') {
          skipQuoted(c);
          continue;
        }
        String w = word().toUpperCase(Locale.ROOT);
        if (w.isEmpty()) {
          i++;
        } else if (w.equals("NOT")) {
          skipSpace();
          if (word().equalsIgnoreCase("NULL")) {
            notNull = true;
          }
        }
      }
    }

    private String name() {
      skipSpace();
      if (peek() == '`') {
        int end = s.indexOf('`', i + 1);
        String n = s.substring(i + 1, end);
        i = end + 1;
        return n;
      }
      return word();
    }

    private String word() {
      int start = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
        i++;
      }
      return s.substring(start, i);
    }

    private void skipBalanced(char open, char close) {
      int depth = 0;
      do {
        char c = s.charAt(i++);
        if (c == open) {
          depth++;
        } else if (c == close) {
          depth--;
        }
      } while (depth > 0 && i < s.length());
    }

    private void skipQuoted(char q) {
      i++;
      while (i < s.length() && s.charAt(i) != q) {
        i += s.charAt(i) == '\\' ? 2 : 1;
      }
      i++;
    }

    private void expect(char c) {
      skipSpace();
      if (peek() != c) {
        throw new IllegalArgumentException("unexpected type syntax at " + i + " in " + s);
      }
      i++;
    }

    private char peek() {
      return i < s.length() ? s.charAt(i) : 0;
    }

    private void skipSpace() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }
  }

  // ---------------------------------------------------------------- option_value parsing

  private static final Pattern TRUNC =
      Pattern.compile(
          "_TRUNC\\s*\\([^,]+,\\s*(HOUR|DAY|MONTH|YEAR)\\s*\\)", Pattern.CASE_INSENSITIVE);

  /**
   * The granularity in a {@code PARTITION BY} clause: {@code DATE(ts)} or a bare DATE column is
   * DAY; {@code TIMESTAMP_TRUNC(ts, HOUR)}, {@code DATE_TRUNC(d, MONTH)} name theirs.
   */
  static PartitionType partitionType(String partitionBy) {
    if (partitionBy == null) {
      return PartitionType.DAY;
    }
    Matcher m = TRUNC.matcher(partitionBy);
    return m.find()
        ? PartitionType.valueOf(m.group(1).toUpperCase(Locale.ROOT))
        : PartitionType.DAY;
  }

  static Long expirationDays(String optionValue) {
    String v = strip(optionValue);
    if (v == null || v.isEmpty() || v.equalsIgnoreCase("NULL")) {
      return null;
    }
    return Math.round(Double.parseDouble(v));
  }

  /** Labels as TABLE_OPTIONS prints them: {@code [STRUCT("k", "v"), STRUCT("k2", "v2")]}. */
  static Map<String, String> labels(String optionValue) {
    Map<String, String> out = new LinkedHashMap<>();
    if (optionValue == null) {
      return out;
    }
    List<String> literals = new ArrayList<>();
    int i = 0;
    while (i < optionValue.length()) {
      char c = optionValue.charAt(i);
      if (c == '"' || c == '\'') {
        int[] end = new int[1];
        literals.add(unquote(optionValue, i, end));
        i = end[0];
      } else {
        i++;
      }
    }
    for (int k = 0; k + 1 < literals.size(); k += 2) {
      out.put(literals.get(k), literals.get(k + 1));
    }
    return out;
  }

  /** A GoogleSQL string literal as printed in option_value, unescaped; null stays null. */
  static String stringLiteral(String optionValue) {
    String v = strip(optionValue);
    if (v == null || v.isEmpty() || v.equalsIgnoreCase("NULL")) {
      return null;
    }
    char c = v.charAt(0);
    if (c != '"' && c != '\'' && !((c == 'r' || c == 'R') && v.length() > 1)) {
      return v;
    }
    return blankToNull(unquote(v, 0, new int[1]));
  }

  /** Reads the literal starting at {@code start}; stores the index after it in {@code end[0]}. */
  private static String unquote(String s, int start, int[] end) {
    int i = start;
    boolean raw = false;
    if (s.charAt(i) == 'r' || s.charAt(i) == 'R') {
      raw = true;
      i++;
    }
    char q = s.charAt(i);
    boolean triple = s.startsWith(String.valueOf(q).repeat(3), i);
    String closing = triple ? String.valueOf(q).repeat(3) : String.valueOf(q);
    i += closing.length();
    StringBuilder out = new StringBuilder();
    while (i < s.length() && !s.startsWith(closing, i)) {
      char c = s.charAt(i);
      if (c == '\\' && !raw && i + 1 < s.length()) {
        char n = s.charAt(i + 1);
        i += 2;
        switch (n) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'a' -> out.append('\u0007');
          case 'v' -> out.append('\u000b');
          case 'u' -> {
            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          case 'U' -> {
            out.appendCodePoint(Integer.parseInt(s.substring(i, i + 8), 16));
            i += 8;
          }
          case 'x', 'X' -> {
            out.append((char) Integer.parseInt(s.substring(i, i + 2), 16));
            i += 2;
          }
          default -> out.append(n);
        }
      } else {
        out.append(c);
        i++;
      }
    }
    end[0] = i + closing.length();
    return out.toString();
  }

  private static String strip(String s) {
    return s == null ? null : s.strip();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
