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
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Applies plan steps as DuckDB DDL plus metadata rows, each step in one transaction. */
final class DuckDbPlanSteps {

  private final Connections connections;

  DuckDbPlanSteps(Connections connections) {
    this.connections = connections;
  }

  void apply(PlanStep step) {
    applyAll(List.of(step));
  }

  /** Applies the steps in one transaction, their metadata rows written together at its end. */
  void applyAll(List<PlanStep> steps) {
    PlanStep current = null;
    Set<String> datasets = new LinkedHashSet<>();
    Set<String> creating = new LinkedHashSet<>();
    for (PlanStep step : steps) {
      datasets.add(step.dataset());
      if (step instanceof CreateDataset) {
        creating.add(step.dataset());
      } else if (step instanceof CreateOrReplaceView v) {
        // The view reads central tables: DuckDB binds it against them as it is created.
        datasets.add(v.centralDataset());
      }
    }
    try (Connection c = connections.open(datasets, creating)) {
      c.setAutoCommit(false);
      MetaWrites meta = new MetaWrites(c);
      try (Statement st = c.createStatement()) {
        for (PlanStep step : steps) {
          current = step;
          apply(meta, st, step);
        }
        current = null;
        meta.flush();
      }
      c.commit();
    } catch (SQLException e) {
      throw classify(
          current != null ? current.describe() : "metadata of " + steps.size() + " step(s)", e);
    }
  }

  private static void apply(MetaWrites meta, Statement st, PlanStep step) throws SQLException {
    // Java 17: no pattern switch; the sealed hierarchy keeps this list complete.
    if (step instanceof CreateDataset s) {
      // The dataset's database was made as the connection opened; its row makes it a dataset.
      if (meta.read(s.dataset(), DuckDbMetadata.DATASET_ROW) == null) {
        meta.put(
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
      MetaRow m = orEmpty(meta.read(s.dataset(), DuckDbMetadata.DATASET_ROW), "DATASET");
      meta.put(
          s.dataset(),
          DuckDbMetadata.DATASET_ROW,
          m.withDescription(s.description())
              .withLabels(merge(m.labels(), s.labels()))
              .withSettings(
                  m.settings() == null
                      ? StoredSettings.of(s.settings())
                      : m.settings().overriddenBy(s.settings())));
    } else if (step instanceof CreateTable s) {
      createTable(meta, st, s);
    } else if (step instanceof AddColumns s) {
      addColumns(meta, st, s);
    } else if (step instanceof RelaxColumns s) {
      relaxColumns(meta, st, s);
    } else if (step instanceof UpdateTableOptions s) {
      updateOptions(meta, s);
    } else if (step instanceof CreateOrReplaceView s) {
      createView(meta, st, s);
    } else {
      throw new IllegalArgumentException("unknown step " + step);
    }
  }

  /** The metadata rows of one transaction, kept until it ends; a read writes them first. */
  private static final class MetaWrites {
    private final Connection c;
    private final Map<String, Map<String, MetaRow>> rows = new LinkedHashMap<>();

    MetaWrites(Connection c) {
      this.c = c;
    }

    Connection connection() {
      return c;
    }

    void put(String dataset, String name, MetaRow row) {
      rows.computeIfAbsent(dataset, d -> new LinkedHashMap<>()).put(name, row);
    }

    MetaRow read(String dataset, String name) throws SQLException {
      flush();
      return DuckDbMetadata.read(c, dataset, name);
    }

    void flush() throws SQLException {
      for (Map.Entry<String, Map<String, MetaRow>> e : rows.entrySet()) {
        DuckDbMetadata.writeAll(c, e.getKey(), e.getValue());
      }
      rows.clear();
    }
  }

  /**
   * The DDL a creating step would run in a single DuckDB file holding every dataset as a schema,
   * without metadata rows: what the raw-DDL baseline of the onboarding benchmark runs (here each
   * dataset is a database of its own, made by attaching it); empty for the steps that change
   * existing objects.
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

  private static void createTable(MetaWrites meta, Statement st, CreateTable s)
      throws SQLException {
    TableDef t = s.table();
    st.execute(createTableSql(s));
    meta.put(
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

  private static void addColumns(MetaWrites meta, Statement st, AddColumns s) throws SQLException {
    MetaRow m = orEmpty(meta.read(s.dataset(), s.table()), "TABLE");
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
    meta.put(s.dataset(), s.table(), m.withColumns(cols));
  }

  private static void relaxColumns(MetaWrites meta, Statement st, RelaxColumns s)
      throws SQLException {
    MetaRow m = orEmpty(meta.read(s.dataset(), s.table()), "TABLE");
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
    meta.put(s.dataset(), s.table(), m.withColumns(cols));
  }

  private static void updateOptions(MetaWrites meta, UpdateTableOptions s) throws SQLException {
    TableDef t = s.table();
    MetaRow m = orEmpty(meta.read(s.dataset(), t.name()), "TABLE");
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
    meta.put(s.dataset(), t.name(), m);
  }

  /** The view's template rendered with {@code "dataset"."table"} names. */
  static String viewSql(CreateOrReplaceView s) {
    return ViewTemplate.render(
        s.view().templateFor(Dialect.DUCKDB),
        ref ->
            qualified(ref.scope() == Scope.CENTRAL ? s.centralDataset() : s.dataset(), ref.table()),
        s.orgSlug());
  }

  private static void createView(MetaWrites meta, Statement st, CreateOrReplaceView s)
      throws SQLException {
    String sql = viewSql(s);
    st.execute(createViewSql(s));
    // No echo yet: reading it lists every view of the file; it is recorded before other SQL runs.
    ViewText text = new ViewText(sql, null);
    meta.put(
        s.dataset(),
        s.view().name(),
        new MetaRow(
            "VIEW", s.view().description(), null, s.labels(), null, null, Map.of(), text, null));
  }
}
