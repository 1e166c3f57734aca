package dev.orgprovisioner.warehouse.duckdb;

import static dev.orgprovisioner.warehouse.duckdb.DuckDbMetadata.columnMeta;
import static dev.orgprovisioner.warehouse.duckdb.DuckDbMetadata.merge;
import static dev.orgprovisioner.warehouse.duckdb.DuckDbMetadata.orEmpty;
import static dev.orgprovisioner.warehouse.duckdb.DuckDbSql.classify;
import static dev.orgprovisioner.warehouse.duckdb.DuckDbSql.qualified;
import static dev.orgprovisioner.warehouse.duckdb.DuckDbTypes.quote;

import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.Scope;
import dev.orgprovisioner.catalog.TableDef;
import dev.orgprovisioner.catalog.ViewTemplate;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.plan.PlanStep.AddColumns;
import dev.orgprovisioner.plan.PlanStep.ColumnAddition;
import dev.orgprovisioner.plan.PlanStep.CreateDataset;
import dev.orgprovisioner.plan.PlanStep.CreateOrReplaceView;
import dev.orgprovisioner.plan.PlanStep.CreateTable;
import dev.orgprovisioner.plan.PlanStep.RelaxColumns;
import dev.orgprovisioner.plan.PlanStep.UpdateDataset;
import dev.orgprovisioner.plan.PlanStep.UpdateTableOptions;
import dev.orgprovisioner.plan.TableOption;
import dev.orgprovisioner.warehouse.Identifiers;
import dev.orgprovisioner.warehouse.duckdb.DuckDbMetadata.ColumnMeta;
import dev.orgprovisioner.warehouse.duckdb.DuckDbMetadata.MetaRow;
import dev.orgprovisioner.warehouse.duckdb.DuckDbMetadata.StoredSettings;
import dev.orgprovisioner.warehouse.duckdb.DuckDbMetadata.ViewText;
import dev.orgprovisioner.warehouse.duckdb.DuckDbSql.Connections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Applies plan steps as DuckDB DDL plus metadata rows, each step in one transaction. */
final class DuckDbPlanSteps {

  private final Connections connections;

  DuckDbPlanSteps(Connections connections) {
    this.connections = connections;
  }

  void apply(PlanStep step) {
    try (Connection c = connections.open()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        // Java 17: no pattern switch; the sealed hierarchy keeps this list complete.
        if (step instanceof CreateDataset s) {
          boolean existed = schemaExists(c, s.dataset());
          st.execute(createSchemaSql(s));
          // A dataset dropped by hand leaves its metadata behind: a new one starts afresh.
          if (!existed || DuckDbMetadata.read(c, s.dataset(), DuckDbMetadata.DATASET_ROW) == null) {
            DuckDbMetadata.write(
                c,
                s.dataset(),
                DuckDbMetadata.DATASET_ROW,
                new MetaRow(
                    "DATASET",
                    s.description(),
                    s.location(),
                    s.labels(),
                    null,
                    null,
                    Map.of(),
                    null,
                    StoredSettings.of(s.settings())));
          }
        } else if (step instanceof UpdateDataset s) {
          MetaRow m =
              orEmpty(DuckDbMetadata.read(c, s.dataset(), DuckDbMetadata.DATASET_ROW), "DATASET");
          DuckDbMetadata.write(
              c,
              s.dataset(),
              DuckDbMetadata.DATASET_ROW,
              m.withDescription(s.description())
                  .withLabels(merge(m.labels(), s.labels()))
                  .withSettings(
                      m.settings() == null
                          ? StoredSettings.of(s.settings())
                          : m.settings().overriddenBy(s.settings())));
        } else if (step instanceof CreateTable s) {
          createTable(c, st, s);
        } else if (step instanceof AddColumns s) {
          addColumns(c, st, s);
        } else if (step instanceof RelaxColumns s) {
          relaxColumns(c, st, s);
        } else if (step instanceof UpdateTableOptions s) {
          updateOptions(c, s);
        } else if (step instanceof CreateOrReplaceView s) {
          createView(c, st, s);
        } else {
          throw new IllegalArgumentException("unknown step " + step);
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw classify(step.describe(), e);
    }
  }

  /**
   * The DDL a creating step runs, without its metadata row (the raw-DDL baseline runs exactly
   * this); empty for the steps that change existing objects.
   */
  static List<String> ddl(PlanStep step) {
    if (step instanceof CreateDataset s) {
      return List.of(createSchemaSql(s));
    } else if (step instanceof CreateTable s) {
      return List.of(createTableSql(s));
    } else if (step instanceof CreateOrReplaceView s) {
      return List.of(createViewSql(s));
    }
    return List.of();
  }

  private static String createSchemaSql(CreateDataset s) {
    return "CREATE SCHEMA IF NOT EXISTS " + quote(Identifiers.dataset(s.dataset()));
  }

  private static String createTableSql(CreateTable s) {
    TableDef t = s.table();
    String cols =
        t.columns().stream()
            .map(
                col ->
                    quote(Identifiers.name(col.name()))
                        + " "
                        + DuckDbTypes.ddlType(col)
                        + (col.mode() == FieldMode.REQUIRED ? " NOT NULL" : ""))
            .collect(Collectors.joining(", "));
    return "CREATE TABLE IF NOT EXISTS " + qualified(s.dataset(), t.name()) + " (" + cols + ")";
  }

  private static String createViewSql(CreateOrReplaceView s) {
    return "CREATE OR REPLACE VIEW "
        + qualified(s.dataset(), s.view().name())
        + " AS "
        + viewSql(s);
  }

  private static void createTable(Connection c, Statement st, CreateTable s) throws SQLException {
    TableDef t = s.table();
    st.execute(createTableSql(s));
    DuckDbMetadata.write(
        c,
        s.dataset(),
        t.name(),
        new MetaRow(
            "TABLE",
            t.description(),
            null,
            s.labels(),
            t.partitioning(),
            t.clustering(),
            columnMeta(t.columns()),
            null,
            null));
  }

  private static void addColumns(Connection c, Statement st, AddColumns s) throws SQLException {
    MetaRow m = orEmpty(DuckDbMetadata.read(c, s.dataset(), s.table()), "TABLE");
    Map<String, ColumnMeta> cols = new LinkedHashMap<>(m.columns());
    for (ColumnAddition a : s.additions()) {
      String target =
          a.parentPath().isEmpty()
              ? quote(Identifiers.name(a.column().name()))
              : java.util.Arrays.stream((a.parentPath() + "." + a.column().name()).split("\\."))
                  .map(p -> quote(Identifiers.name(p)))
                  .collect(Collectors.joining("."));
      st.execute(
          "ALTER TABLE "
              + qualified(s.dataset(), s.table())
              + " ADD COLUMN IF NOT EXISTS "
              + target
              + " "
              + DuckDbTypes.ddlType(a.column()));
      cols.putAll(columnMeta(a.parentPath(), List.of(a.column())));
    }
    DuckDbMetadata.write(c, s.dataset(), s.table(), m.withColumns(cols));
  }

  private static void relaxColumns(Connection c, Statement st, RelaxColumns s) throws SQLException {
    MetaRow m = orEmpty(DuckDbMetadata.read(c, s.dataset(), s.table()), "TABLE");
    Map<String, ColumnMeta> cols = new LinkedHashMap<>(m.columns());
    for (String path : s.paths()) {
      if (!path.contains(".")) {
        st.execute(
            "ALTER TABLE "
                + qualified(s.dataset(), s.table())
                + " ALTER COLUMN "
                + quote(Identifiers.name(path))
                + " DROP NOT NULL");
      }
      ColumnMeta old = cols.get(path.toLowerCase(Locale.ROOT));
      cols.put(
          path.toLowerCase(Locale.ROOT),
          new ColumnMeta(
              old == null ? null : old.type(),
              FieldMode.NULLABLE,
              old == null ? null : old.description()));
    }
    DuckDbMetadata.write(c, s.dataset(), s.table(), m.withColumns(cols));
  }

  private static void updateOptions(Connection c, UpdateTableOptions s) throws SQLException {
    TableDef t = s.table();
    MetaRow m = orEmpty(DuckDbMetadata.read(c, s.dataset(), t.name()), "TABLE");
    for (TableOption option : s.changes()) {
      m =
          switch (option) {
            case DESCRIPTION -> m.withDescription(t.description());
            case LABELS -> m.withLabels(merge(m.labels(), s.labels()));
            case CLUSTERING -> m.withClustering(t.clustering());
            case PARTITION_EXPIRATION, REQUIRE_PARTITION_FILTER ->
                m.withPartitioning(t.partitioning());
            case COLUMN_DESCRIPTIONS -> {
              Map<String, ColumnMeta> cols = new LinkedHashMap<>(m.columns());
              columnMeta(t.columns())
                  .forEach(
                      (path, declared) ->
                          cols.computeIfPresent(
                              path,
                              (p, old) ->
                                  new ColumnMeta(old.type(), old.mode(), declared.description())));
              yield m.withColumns(cols);
            }
          };
    }
    DuckDbMetadata.write(c, s.dataset(), t.name(), m);
  }

  /** The view's template rendered with {@code "dataset"."table"} names. */
  static String viewSql(CreateOrReplaceView s) {
    return ViewTemplate.render(
        s.view().templateFor(Dialect.DUCKDB),
        ref ->
            qualified(ref.scope() == Scope.CENTRAL ? s.centralDataset() : s.dataset(), ref.table()),
        s.orgSlug());
  }

  private static void createView(Connection c, Statement st, CreateOrReplaceView s)
      throws SQLException {
    String sql = viewSql(s);
    st.execute(createViewSql(s));
    ViewText text = new ViewText(sql, DuckDbSnapshot.viewEcho(c, s.dataset(), s.view().name()));
    DuckDbMetadata.write(
        c,
        s.dataset(),
        s.view().name(),
        new MetaRow(
            "VIEW", s.view().description(), null, s.labels(), null, null, Map.of(), text, null));
  }

  private static boolean schemaExists(Connection c, String dataset) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM information_schema.schemata WHERE catalog_name = current_database()"
                + " AND schema_name = ?")) {
      ps.setString(1, Identifiers.dataset(dataset));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
