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
import java.sql.PreparedStatement;
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
import java.util.stream.Collectors;

/** Reads datasets as the planner sees them: DuckDB's catalog functions plus the metadata table. */
final class DuckDbSnapshot {

  private final Connections connections;

  DuckDbSnapshot(Connections connections) {
    this.connections = connections;
  }

  // Columns, types and top-level nullability come from DuckDB itself, so hand-made changes show up
  // as drift; the rest (descriptions, labels, partitioning...) from the metadata table.
  Map<String, ObservedDataset> snapshot(Collection<String> datasets) {
    if (datasets.isEmpty()) {
      return Map.of();
    }
    String in =
        datasets.stream()
            .map(Identifiers::dataset)
            .map(d -> "'" + d + "'")
            .collect(Collectors.joining(","));
    try (Connection c = connections.open();
        Statement st = c.createStatement()) {
      List<String> existing = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT schema_name FROM information_schema.schemata WHERE catalog_name ="
                  + " current_database() AND schema_name IN ("
                  + in
                  + ")")) {
        while (rs.next()) {
          existing.add(rs.getString(1));
        }
      }
      if (existing.isEmpty()) {
        return Map.of();
      }
      Map<String, Map<String, MetaRow>> meta = DuckDbMetadata.read(st, in);
      // duckdb_views() and duckdb_columns(), not information_schema: each information_schema view
      // is a further pass over every table of the database (measured in docs/performance.md).
      Map<String, Map<String, String>> kinds = new HashMap<>();
      Map<String, String> echoes = new HashMap<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT schema_name, view_name, sql FROM duckdb_views() WHERE database_name ="
                  + " current_database() AND schema_name IN ("
                  + in
                  + ")")) {
        while (rs.next()) {
          echoes.put(viewKey(rs.getString(1), rs.getString(2)), rs.getString(3));
          kinds
              .computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
              .put(rs.getString(2), "VIEW");
        }
      }
      Map<String, Map<String, List<Column>>> columns = new HashMap<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT schema_name, table_name, column_name, data_type, is_nullable FROM"
                  + " duckdb_columns() WHERE database_name = current_database() AND"
                  + " schema_name IN ("
                  + in
                  + ") ORDER BY schema_name, table_name, column_index")) {
        while (rs.next()) {
          String ds = rs.getString(1);
          String table = rs.getString(2);
          Map<String, String> dsKinds = kinds.computeIfAbsent(ds, k -> new LinkedHashMap<>());
          if ("VIEW".equals(dsKinds.putIfAbsent(table, "BASE TABLE"))) {
            continue;
          }
          MetaRow tableMeta = meta.getOrDefault(ds, Map.of()).get(table.toLowerCase(Locale.ROOT));
          Map<String, ColumnMeta> colMeta = tableMeta == null ? Map.of() : tableMeta.columns();
          Column col =
              column(
                  rs.getString(3),
                  rs.getString(3),
                  DuckDbTypes.parse(rs.getString(4)),
                  !rs.getBoolean(5),
                  true,
                  colMeta);
          columns
              .computeIfAbsent(ds, k -> new HashMap<>())
              .computeIfAbsent(table, k -> new ArrayList<>())
              .add(col);
        }
      }
      Map<String, ObservedDataset> out = new LinkedHashMap<>();
      for (String ds : existing) {
        Map<String, MetaRow> dsMeta = meta.getOrDefault(ds, Map.of());
        MetaRow dsRow = dsMeta.get(DuckDbMetadata.DATASET_ROW);
        Map<String, ObservedTable> tables = new LinkedHashMap<>();
        Map<String, ObservedView> views = new LinkedHashMap<>();
        kinds
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
                            viewSql(m, echoes.get(viewKey(ds, name)))));
                  } else {
                    tables.put(
                        name,
                        new ObservedTable(
                            name,
                            m == null ? null : m.description(),
                            columns.getOrDefault(ds, Map.of()).getOrDefault(name, List.of()),
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
    } catch (SQLException e) {
      throw classify("snapshot of " + datasets.size() + " dataset(s)", e);
    }
  }

  /**
   * The SQL the view was created from while DuckDB still echoes it as it did right after creation;
   * otherwise (replaced by hand, or created outside the provisioner) the echo itself, which never
   * matches a rendered template.
   */
  private static String viewSql(MetaRow meta, String echo) {
    ViewText created = meta == null ? null : meta.view();
    return created != null && created.echo() != null && created.echo().equals(echo)
        ? created.source()
        : echo;
  }

  /** DuckDB's echo of a view's definition ({@code CREATE VIEW ... AS ...;}), or null. */
  static String viewEcho(Connection c, String dataset, String view) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT sql FROM duckdb_views() WHERE database_name = current_database() AND"
                + " schema_name = ? AND view_name = ?")) {
      ps.setString(1, Identifiers.dataset(dataset));
      ps.setString(2, Identifiers.name(view));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static String viewKey(String dataset, String view) {
    return (dataset + "\u0000" + view).toLowerCase(Locale.ROOT);
  }

  boolean exists(String dataset) {
    try (Connection c = connections.open();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT 1 FROM duckdb_schemas() WHERE database_name = current_database() AND"
                    + " schema_name = ?")) {
      ps.setString(1, Identifiers.dataset(dataset));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw classify("existence of " + dataset, e);
    }
  }

  List<String> managedDatasets() {
    try (Connection c = connections.open();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT DISTINCT m.dataset, m.labels FROM "
                    + DuckDbMetadata.META
                    + " m JOIN information_schema.schemata s ON s.schema_name = m.dataset AND"
                    + " s.catalog_name = current_database() WHERE m.name = '' ORDER BY"
                    + " m.dataset")) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        Map<String, String> labels = DuckDbMetadata.readLabels(rs.getString(2));
        if (DesiredDataset.MANAGED_BY_VALUE.equals(labels.get(DesiredDataset.MANAGED_BY))) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw classify("listing managed datasets", e);
    }
  }

  private static Column column(
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
