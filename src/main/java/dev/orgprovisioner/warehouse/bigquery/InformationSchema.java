package dev.orgprovisioner.warehouse.bigquery;

import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.catalog.DatasetSettings.Option;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.Partitioning;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.ObservedTable;
import dev.orgprovisioner.plan.ObservedView;
import dev.orgprovisioner.warehouse.bigquery.GoogleSqlTypes.ParsedField;
import dev.orgprovisioner.warehouse.bigquery.GoogleSqlTypes.ParsedType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The bulk INFORMATION_SCHEMA queries and the parsing of their rows into observed datasets. */
final class InformationSchema {

  /** The views read, in the order they are queried. */
  enum View {
    SCHEMATA("SELECT schema_name, location FROM %s WHERE schema_name IN UNNEST(@datasets)"),
    SCHEMATA_OPTIONS(
        "SELECT schema_name, option_name, option_value FROM %s"
            + " WHERE schema_name IN UNNEST(@datasets) AND option_name IN ('description', 'labels',"
            + " 'default_table_expiration_days', 'default_partition_expiration_days',"
            + " 'max_time_travel_hours', 'default_kms_key_name')"),
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
            + " FROM %s WHERE table_schema IN UNNEST(@datasets) GROUP BY table_schema, table_name"),
    // The query text as stored (BigQuery echoes it verbatim), compared with the rendered template.
    VIEWS(
        "SELECT table_schema, table_name, view_definition FROM %s"
            + " WHERE table_schema IN UNNEST(@datasets)");

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

  private static final Duration DAY = Duration.ofDays(1);

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

  record ViewRow(String dataset, String table, String definition) {}

  /** Everything read for a set of datasets, from one or more regions. */
  record Rows(
      List<SchemaRow> schemata,
      List<OptionRow> schemaOptions,
      List<TableRow> tables,
      List<OptionRow> tableOptions,
      List<ColumnRow> columns,
      List<FieldPathRow> fieldPaths,
      List<ViewRow> views) {

    static Rows empty() {
      return new Rows(
          new ArrayList<>(),
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
      views.addAll(other.views);
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
    Map<String, String> viewSql = new HashMap<>();
    rows.views().forEach(v -> viewSql.put(key(v.dataset(), v.table()), v.definition()));
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
        String description = OptionValues.stringLiteral(to.get("description"));
        Map<String, String> labels = OptionValues.labels(to.get("labels"));
        if (t.type() != null && t.type().toUpperCase(Locale.ROOT).contains("VIEW")) {
          observedViews.put(
              t.table(),
              new ObservedView(
                  t.table(), description, labels, viewSql.get(key(t.dataset(), t.table()))));
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
                  OptionValues.partitionType(t.partitionBy()),
                  partitionField != null ? partitionField : "_PARTITIONTIME",
                  OptionValues.expirationDays(to.get("partition_expiration_days")),
                  "true".equalsIgnoreCase(OptionValues.strip(to.get("require_partition_filter"))));
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
              OptionValues.stringLiteral(options.get("description")),
              s.location(),
              OptionValues.labels(options.get("labels")),
              settings(options),
              observedTables,
              observedViews));
    }
    return out;
  }

  /** The dataset options SCHEMATA_OPTIONS lists (only those set are listed). */
  private static DatasetSettings settings(Map<String, String> options) {
    return new DatasetSettings(
        OptionValues.duration(options.get(Option.DEFAULT_TABLE_EXPIRATION.key()), DAY),
        OptionValues.duration(options.get(Option.DEFAULT_PARTITION_EXPIRATION.key()), DAY),
        OptionValues.duration(options.get(Option.MAX_TIME_TRAVEL.key()), Duration.ofHours(1)),
        OptionValues.stringLiteral(options.get(Option.DEFAULT_KMS_KEY.key())),
        Map.of());
  }

  private static Column column(ColumnRow c, TableRow t, Map<String, FieldPathRow> paths) {
    FieldPathRow top = paths.get(key(t.dataset(), t.table(), c.column().toLowerCase(Locale.ROOT)));
    ParsedType type = top == null ? null : GoogleSqlTypes.parse(top.dataType());
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
        name,
        type == null ? null : type.type(),
        mode,
        OptionValues.blankToNull(description),
        fields);
  }

  private static String key(String... parts) {
    return String.join("\u0000", parts).toLowerCase(Locale.ROOT);
  }
}
