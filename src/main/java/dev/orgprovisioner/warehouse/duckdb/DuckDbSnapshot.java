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
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Reads datasets as the planner sees them: DuckDB's catalog functions plus the metadata table. */
final class DuckDbSnapshot {

  private final Connections connections;
  private final BooleanSupplier touchedByHand;

  /**
   * @param touchedByHand whether SQL other than the provisioner's own ran on the file since it was
   *     opened: then every read is a pass over DuckDB's catalog, which sees everything
   */
  DuckDbSnapshot(Connections connections, BooleanSupplier touchedByHand) {
    this.connections = connections;
    this.touchedByHand = touchedByHand;
  }

  /** What DuckDB's catalog holds of some datasets: schemas, object kinds, columns, view echoes. */
  record CatalogRead(
      List<String> existing,
      Map<String, Map<String, String>> kinds,
      Map<String, Map<String, List<Column>>> columns,
      Map<String, String> echoes) {}

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
      Map<String, Map<String, MetaRow>> meta = DuckDbMetadata.read(st, in);
      // DuckDB's catalog functions read every object of the file, so a pass costs as much as the
      // fleet; while only the provisioner wrote, its metadata names every object and each is read
      // by name instead (a missing one means the file changed elsewhere: then the pass decides).
      CatalogRead read =
          touchedByHand.getAsBoolean() ? null : DuckDbObjectReads.read(c, in, meta).orElse(null);
      return assemble(read != null ? read : scan(st, in, meta), meta);
    } catch (SQLException e) {
      throw classify("snapshot of " + datasets.size() + " dataset(s)", e);
    }
  }

  /** One pass over DuckDB's catalog for the datasets in {@code in}: sees objects made by hand. */
  private static CatalogRead scan(Statement st, String in, Map<String, Map<String, MetaRow>> meta)
      throws SQLException {
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
    Map<String, Map<String, String>> kinds = new HashMap<>();
    Map<String, String> echoes = new HashMap<>();
    Map<String, Map<String, List<Column>>> columns = new HashMap<>();
    if (existing.isEmpty()) {
      return new CatalogRead(existing, kinds, columns, echoes);
    }
    // duckdb_views() and duckdb_columns(), not information_schema: each information_schema view
    // is a further pass over every table of the database (measured in docs/performance.md).
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
        addColumn(columns, meta, ds, table, rs.getString(3), rs.getString(4), !rs.getBoolean(5));
      }
    }
    return new CatalogRead(existing, kinds, columns, echoes);
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
