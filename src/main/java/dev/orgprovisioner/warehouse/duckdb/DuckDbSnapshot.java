package dev.orgprovisioner.warehouse.duckdb;

import static dev.orgprovisioner.warehouse.duckdb.DuckDbSql.classify;

import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.FieldType;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.ObservedTable;
import dev.orgprovisioner.plan.ObservedView;
import dev.orgprovisioner.warehouse.Identifiers;
import dev.orgprovisioner.warehouse.duckdb.DuckDbMetadata.ColumnMeta;
import dev.orgprovisioner.warehouse.duckdb.DuckDbMetadata.MetaRow;
import dev.orgprovisioner.warehouse.duckdb.DuckDbMetadata.ViewText;
import dev.orgprovisioner.warehouse.duckdb.DuckDbSql.Connections;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** Reads datasets as the planner sees them: DuckDB's catalog functions plus the metadata table. */
final class DuckDbSnapshot {

  private final Connections connections;
  private final Predicate<String> stored;

  /**
   * @param stored whether a dataset's database exists (a read does not create one)
   */
  DuckDbSnapshot(Connections connections, Predicate<String> stored) {
    this.connections = connections;
    this.stored = stored;
  }

  /** What DuckDB's catalog holds of some datasets: schemas, object kinds, columns, view echoes. */
  record CatalogRead(
      List<String> existing,
      Map<String, Map<String, String>> kinds,
      Map<String, Map<String, List<Column>>> columns,
      Map<String, String> echoes) {}

  // Columns, types and top-level nullability come from DuckDB itself, so hand-made changes show up
  // as drift; the rest (descriptions, labels, partitioning...) from the metadata table. Each
  // dataset is a database of its own, so a pass over its catalog costs as much as the dataset.
  Map<String, ObservedDataset> snapshot(Collection<String> datasets) {
    Map<String, ObservedDataset> out = new LinkedHashMap<>();
    for (String dataset : datasets) {
      String ds = Identifiers.dataset(dataset);
      if (!stored.test(ds)) {
        continue;
      }
      try (Connection c = connections.open(ds);
          Statement st = c.createStatement()) {
        Map<String, MetaRow> dsMeta = DuckDbMetadata.read(c, ds);
        // A database whose creating transaction did not commit holds no dataset.
        if (dsMeta.containsKey(DuckDbMetadata.DATASET_ROW)) {
          Map<String, Map<String, MetaRow>> meta = Map.of(ds, dsMeta);
          out.putAll(assemble(scan(st, ds, meta), meta));
        }
      } catch (SQLException e) {
        throw classify("snapshot of dataset " + ds, e);
      }
    }
    return out;
  }

  /** One pass over a dataset's catalog: sees objects made or changed by hand. */
  private static CatalogRead scan(Statement st, String ds, Map<String, Map<String, MetaRow>> meta)
      throws SQLException {
    Map<String, Map<String, String>> kinds = new HashMap<>();
    Map<String, String> echoes = new HashMap<>();
    Map<String, Map<String, List<Column>>> columns = new HashMap<>();
    Map<String, String> dsKinds = kinds.computeIfAbsent(ds, k -> new LinkedHashMap<>());
    String where = " WHERE database_name = '" + ds + "' AND schema_name = 'main'";
    // duckdb_views() and duckdb_columns(), not information_schema: each information_schema view
    // is a further pass over every table of the database (measured in docs/performance.md).
    try (ResultSet rs = st.executeQuery("SELECT view_name, sql FROM duckdb_views()" + where)) {
      while (rs.next()) {
        echoes.put(viewKey(ds, rs.getString(1)), rs.getString(2));
        dsKinds.put(rs.getString(1), "VIEW");
      }
    }
    try (ResultSet rs =
        st.executeQuery(
            "SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns()"
                + where
                + " ORDER BY table_name, column_index")) {
      while (rs.next()) {
        String table = rs.getString(1);
        if ("VIEW".equals(dsKinds.putIfAbsent(table, "BASE TABLE"))) {
          continue;
        }
        addColumn(columns, meta, ds, table, rs.getString(2), rs.getString(3), !rs.getBoolean(4));
      }
    }
    return new CatalogRead(List.of(ds), kinds, columns, echoes);
  }

  /** Adds one top-level column as DuckDB reports it, typed and described from the metadata. */
  static void addColumn(
      Map<String, Map<String, List<Column>>> columns,
      Map<String, Map<String, MetaRow>> meta,
      String ds,
      String table,
      String name,
      String type,
      boolean notNull) {
    MetaRow tableMeta = meta.getOrDefault(ds, Map.of()).get(table.toLowerCase(Locale.ROOT));
    Map<String, ColumnMeta> colMeta = tableMeta == null ? Map.of() : tableMeta.columns();
    columns
        .computeIfAbsent(ds, k -> new HashMap<>())
        .computeIfAbsent(table, k -> new ArrayList<>())
        .add(column(name, name, DuckDbTypes.parse(type), notNull, true, colMeta));
  }

  private static Map<String, ObservedDataset> assemble(
      CatalogRead read, Map<String, Map<String, MetaRow>> meta) {
    Map<String, ObservedDataset> out = new LinkedHashMap<>();
    for (String ds : read.existing()) {
      Map<String, MetaRow> dsMeta = meta.getOrDefault(ds, Map.of());
      MetaRow dsRow = dsMeta.get(DuckDbMetadata.DATASET_ROW);
      Map<String, ObservedTable> tables = new LinkedHashMap<>();
      Map<String, ObservedView> views = new LinkedHashMap<>();
      read.kinds()
          .getOrDefault(ds, Map.of())
          .forEach(
              (name, type) -> {
                MetaRow m = dsMeta.get(name.toLowerCase(Locale.ROOT));
                if ("VIEW".equals(type)) {
                  views.put(
                      name,
                      new ObservedView(
                          name,
                          m == null ? null : m.description(),
                          m == null ? null : m.labels(),
                          viewSql(m, read.echoes().get(viewKey(ds, name)))));
                } else {
                  tables.put(
                      name,
                      new ObservedTable(
                          name,
                          m == null ? null : m.description(),
                          read.columns().getOrDefault(ds, Map.of()).getOrDefault(name, List.of()),
                          m == null ? null : m.partitioning(),
                          m == null ? null : m.clustering(),
                          m == null ? null : m.labels()));
                }
              });
      out.put(
          ds,
          new ObservedDataset(
              ds,
              dsRow == null ? null : dsRow.description(),
              dsRow == null ? null : dsRow.location(),
              dsRow == null ? null : dsRow.labels(),
              dsRow == null || dsRow.settings() == null ? null : dsRow.settings().settings(),
              tables,
              views));
    }
    return out;
  }

  /**
   * The SQL the view was created from while DuckDB still echoes it as it did when the echo was
   * recorded (none recorded: no SQL but the provisioner's ran since it was created, see {@link
   * DuckDbMetadata#refreshViewEchoes}); otherwise (replaced by hand, or created outside the
   * provisioner) the echo itself, which never matches a rendered template.
   */
  private static String viewSql(MetaRow meta, String echo) {
    ViewText created = meta == null ? null : meta.view();
    return created != null && (created.echo() == null || created.echo().equals(echo))
        ? created.source()
        : echo;
  }

  static String viewKey(String dataset, String view) {
    return (dataset + "\u0000" + view).toLowerCase(Locale.ROOT);
  }

  boolean exists(String dataset) {
    String ds = Identifiers.dataset(dataset);
    return stored.test(ds) && datasetRow(ds) != null;
  }

  /** The datasets whose own row carries the provisioner's managed-by label. */
  List<String> managedDatasets(List<String> storedDatasets) {
    List<String> out = new ArrayList<>();
    for (String ds : storedDatasets) {
      MetaRow row = datasetRow(ds);
      if (row != null
          && row.labels() != null
          && DesiredDataset.MANAGED_BY_VALUE.equals(row.labels().get(DesiredDataset.MANAGED_BY))) {
        out.add(ds);
      }
    }
    return out;
  }

  private MetaRow datasetRow(String ds) {
    try (Connection c = connections.open(ds)) {
      return DuckDbMetadata.read(c, ds, DuckDbMetadata.DATASET_ROW);
    } catch (SQLException e) {
      throw classify("read dataset " + ds, e);
    }
  }

  static Column column(
      String name,
      String path,
      DuckDbTypes.Parsed parsed,
      boolean notNull,
      boolean topLevel,
      Map<String, ColumnMeta> meta) {
    ColumnMeta m = meta.get(path.toLowerCase(Locale.ROOT));
    FieldMode mode;
    if (parsed.list()) {
      mode = FieldMode.REPEATED;
    } else if (topLevel) {
      mode = notNull ? FieldMode.REQUIRED : FieldMode.NULLABLE;
    } else {
      // DuckDB has no NOT NULL inside a STRUCT: the declared nested mode lives in metadata.
      mode = m != null && m.mode() == FieldMode.REQUIRED ? FieldMode.REQUIRED : FieldMode.NULLABLE;
    }
    String description = m == null ? null : m.description();
    if (parsed.fields() != null) {
      List<Column> fields = new ArrayList<>();
      for (DuckDbTypes.ParsedField f : parsed.fields()) {
        fields.add(column(f.name(), path + "." + f.name(), f.type(), false, false, meta));
      }
      return new Column(name, FieldType.STRUCT, mode, description, fields);
    }
    FieldType type =
        m != null && m.type() != null && DuckDbTypes.storedAs(m.type(), parsed.scalar())
            ? m.type()
            : DuckDbTypes.fromScalar(parsed.scalar());
    return new Column(name, type, mode, description, List.of());
  }
}
