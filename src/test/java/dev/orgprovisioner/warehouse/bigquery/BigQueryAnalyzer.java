package dev.orgprovisioner.warehouse.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zetasql.Analyzer;
import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.LanguageOptions;
import com.google.zetasql.SimpleCatalog;
import com.google.zetasql.SimpleColumn;
import com.google.zetasql.SimpleTable;
import com.google.zetasql.SqlException;
import com.google.zetasql.StructType;
import com.google.zetasql.Type;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.ZetaSQLType.TypeKind;
import com.google.zetasql.io.grpc.StatusRuntimeException;
import com.google.zetasql.resolvedast.ResolvedCreateStatementEnums.CreateMode;
import com.google.zetasql.resolvedast.ResolvedCreateStatementEnums.CreateScope;
import com.google.zetasql.resolvedast.ResolvedNodes;
import com.google.zetasql.toolkit.catalog.bigquery.BigQueryCatalog;
import com.google.zetasql.toolkit.catalog.bigquery.LocalBigQueryResourceProvider;
import com.google.zetasql.toolkit.catalog.io.CatalogResources;
import com.google.zetasql.toolkit.options.BigQueryLanguageOptions;
import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.FieldType;
import dev.orgprovisioner.catalog.TableDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ZetaSQL, BigQuery's analyzer, with BigQuery's language options and built-in functions over a
 * catalog of the datasets' tables and the INFORMATION_SCHEMA views the adapter reads.
 */
final class BigQueryAnalyzer {

  /** The INFORMATION_SCHEMA views the adapter reads, with their documented columns. */
  private static final Map<String, List<String>> INFORMATION_SCHEMA =
      Map.of(
          "SCHEMATA",
          List.of(
              "catalog_name STRING",
              "schema_name STRING",
              "schema_owner STRING",
              "creation_time TIMESTAMP",
              "last_modified_time TIMESTAMP",
              "location STRING",
              "ddl STRING",
              "default_collation_name STRING"),
          "SCHEMATA_OPTIONS",
          List.of(
              "catalog_name STRING",
              "schema_name STRING",
              "option_name STRING",
              "option_type STRING",
              "option_value STRING"),
          "TABLES",
          List.of(
              "table_catalog STRING",
              "table_schema STRING",
              "table_name STRING",
              "table_type STRING",
              "is_insertable_into STRING",
              "is_typed STRING",
              "creation_time TIMESTAMP",
              "base_table_catalog STRING",
              "base_table_schema STRING",
              "base_table_name STRING",
              "snapshot_time_ms TIMESTAMP",
              "ddl STRING",
              "default_collation_name STRING",
              "upsert_stream_apply_watermark TIMESTAMP"),
          "TABLE_OPTIONS",
          List.of(
              "table_catalog STRING",
              "table_schema STRING",
              "table_name STRING",
              "option_name STRING",
              "option_type STRING",
              "option_value STRING"),
          "COLUMNS",
          List.of(
              "table_catalog STRING",
              "table_schema STRING",
              "table_name STRING",
              "column_name STRING",
              "ordinal_position INT64",
              "is_nullable STRING",
              "data_type STRING",
              "is_generated STRING",
              "generation_expression STRING",
              "is_stored STRING",
              "is_hidden STRING",
              "is_updatable STRING",
              "is_system_defined STRING",
              "is_partitioning_column STRING",
              "clustering_ordinal_position INT64",
              "collation_name STRING",
              "column_default STRING",
              "rounding_mode STRING"),
          "COLUMN_FIELD_PATHS",
          List.of(
              "table_catalog STRING",
              "table_schema STRING",
              "table_name STRING",
              "column_name STRING",
              "field_path STRING",
              "data_type STRING",
              "description STRING",
              "collation_name STRING",
              "rounding_mode STRING"),
          "VIEWS",
          List.of(
              "table_catalog STRING",
              "table_schema STRING",
              "table_name STRING",
              "view_definition STRING",
              "check_option STRING",
              "use_standard_sql STRING"));

  private final String project;
  private final LanguageOptions language = BigQueryLanguageOptions.get();
  private final BigQueryCatalog catalog;

  BigQueryAnalyzer(String project) {
    this.project = project;
    this.catalog =
        new BigQueryCatalog(
            project,
            new LocalBigQueryResourceProvider(
                new CatalogResources(List.of(), List.of(), List.of(), List.of())));
  }

  /** Registers a catalog table in a dataset of the project; only before the first analysis. */
  void addTable(String dataset, TableDef table) {
    List<SimpleColumn> columns = new ArrayList<>();
    String name = project + "." + dataset + "." + table.name();
    for (Column c : table.columns()) {
      columns.add(new SimpleColumn(name, c.name(), type(c)));
    }
    register(name, columns);
  }

  /**
   * Registers a view as a table of the columns its query yields (analyzed against what is
   * registered so far), so views over it analyze too; only before the first analysis.
   */
  void addView(String dataset, String view, String sql) {
    AnalyzerOptions options = new AnalyzerOptions();
    options.setLanguageOptions(language);
    ResolvedNodes.ResolvedQueryStmt stmt =
        (ResolvedNodes.ResolvedQueryStmt)
            Analyzer.analyzeStatement(sql, options, catalog.getZetaSQLCatalog());
    String name = project + "." + dataset + "." + view;
    List<SimpleColumn> columns = new ArrayList<>();
    for (ResolvedNodes.ResolvedOutputColumn c : stmt.getOutputColumnList()) {
      columns.add(new SimpleColumn(name, c.getName(), c.getColumn().getType()));
    }
    register(name, columns);
  }

  /** Registers the INFORMATION_SCHEMA views the adapter reads, for one region of the project. */
  void addInformationSchema(String region) {
    SimpleCatalog views =
        catalog
            .getZetaSQLCatalog()
            .addNewSimpleCatalog(project)
            .addNewSimpleCatalog(region)
            .addNewSimpleCatalog("INFORMATION_SCHEMA");
    INFORMATION_SCHEMA.forEach(
        (view, columns) -> {
          String name = project + "." + region + ".INFORMATION_SCHEMA." + view;
          List<SimpleColumn> cols = new ArrayList<>();
          for (String c : columns) {
            String[] parts = c.split(" ");
            cols.add(new SimpleColumn(name, parts[0], scalar(FieldType.valueOf(parts[1]))));
          }
          SimpleTable t = new SimpleTable(view, cols);
          t.setFullName(name);
          views.addSimpleTable(t);
        });
  }

  private void register(String name, List<SimpleColumn> columns) {
    SimpleTable t = new SimpleTable(name, columns);
    t.setFullName(name);
    catalog.register(t, CreateMode.CREATE_DEFAULT, CreateScope.CREATE_DEFAULT_SCOPE);
  }

  /**
   * Analyzes one statement with the given named parameters' types (the REST {@code parameterType}
   * JSON); empty when it analyzes, else the analyzer's message.
   */
  Optional<String> problem(String sql, Map<String, JsonNode> parameterTypes) {
    SimpleCatalog root = catalog.getZetaSQLCatalog();
    if (!root.isRegistered()) {
      // Registered once, the catalog stays in the native analyzer: each call then sends its id,
      // not the whole catalog with BigQuery's function signatures.
      root.register();
    }
    for (int attempt = 1; ; attempt++) {
      try {
        AnalyzerOptions options = new AnalyzerOptions();
        options.setLanguageOptions(language);
        parameterTypes.forEach((name, t) -> options.addQueryParameter(name, parameterType(t)));
        Analyzer.analyzeStatement(sql, options, root);
        return Optional.empty();
      } catch (SqlException e) {
        return Optional.of(e.getMessage());
      } catch (StatusRuntimeException e) {
        // The JNI channel's socket to the native analyzer sometimes breaks after an analysis
        // error ("end-of-stream mid-frame"); the next call opens it again. Not an analysis result.
        if (attempt == 3 || !String.valueOf(e.getMessage()).contains("mid-frame")) {
          throw e;
        }
      }
    }
  }

  static Type type(Column c) {
    Type t;
    if (c.type() == FieldType.STRUCT) {
      List<StructType.StructField> fields = new ArrayList<>();
      for (Column f : c.fields()) {
        fields.add(new StructType.StructField(f.name(), type(f)));
      }
      t = TypeFactory.createStructType(fields);
    } else {
      t = scalar(c.type());
    }
    return c.mode() == FieldMode.REPEATED ? TypeFactory.createArrayType(t) : t;
  }

  private static Type scalar(FieldType type) {
    return TypeFactory.createSimpleType(
        switch (type) {
          case STRING -> TypeKind.TYPE_STRING;
          case BYTES -> TypeKind.TYPE_BYTES;
          case INT64 -> TypeKind.TYPE_INT64;
          case FLOAT64 -> TypeKind.TYPE_DOUBLE;
          case NUMERIC -> TypeKind.TYPE_NUMERIC;
          case BIGNUMERIC -> TypeKind.TYPE_BIGNUMERIC;
          case BOOL -> TypeKind.TYPE_BOOL;
          case DATE -> TypeKind.TYPE_DATE;
          case DATETIME -> TypeKind.TYPE_DATETIME;
          case TIME -> TypeKind.TYPE_TIME;
          case TIMESTAMP -> TypeKind.TYPE_TIMESTAMP;
          case JSON -> TypeKind.TYPE_JSON;
          case GEOGRAPHY -> TypeKind.TYPE_GEOGRAPHY;
          case STRUCT -> throw new IllegalArgumentException("STRUCT is not scalar");
        });
  }

  /** The ZetaSQL type of a REST query parameter type, e.g. {@code {"type":"ARRAY",...}}. */
  static Type parameterType(JsonNode t) {
    String name = t.path("type").asText();
    if (name.equals("ARRAY")) {
      return TypeFactory.createArrayType(parameterType(t.path("arrayType")));
    }
    if (name.equals("STRUCT")) {
      List<StructType.StructField> fields = new ArrayList<>();
      for (JsonNode f : t.path("structTypes")) {
        fields.add(
            new StructType.StructField(f.path("name").asText(), parameterType(f.path("type"))));
      }
      return TypeFactory.createStructType(fields);
    }
    return scalar(
        FieldType.parse(name)
            .orElseThrow(() -> new IllegalArgumentException("unknown parameter type " + name)));
  }
}
