package dev.orgprovisioner.warehouse.duckdb;

import static dev.orgprovisioner.warehouse.duckdb.DuckDbTypes.quote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.FieldType;
import dev.orgprovisioner.catalog.Partitioning;
import dev.orgprovisioner.catalog.Scope;
import dev.orgprovisioner.catalog.TableDef;
import dev.orgprovisioner.catalog.ViewTemplate;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.ObservedTable;
import dev.orgprovisioner.plan.ObservedView;
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
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/**
 * The embedded warehouse: a dataset is a DuckDB schema. What DuckDB has no notion of (descriptions,
 * labels, partitioning, clustering, nested modes, location) is kept in a metadata table, so the
 * planner sees the same snapshot it would get from BigQuery. Columns, types and top-level
 * nullability are always read from DuckDB itself, so changes made by hand show up as drift.
 */
public final class DuckDbWarehouse implements Warehouse, AutoCloseable {

  static final String META_SCHEMA = "_provisioner";
  private static final String META = META_SCHEMA + ".objects";
  private static final String DATASET_ROW = "";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DuckDBConnection root;

  /** Opens (or creates) a database; {@code path} empty or {@code :memory:} means in memory. */
  public DuckDbWarehouse(String path) {
    String url =
        path == null || path.isBlank() || path.equals(":memory:")
            ? "jdbc:duckdb:"
            : "jdbc:duckdb:" + path;
    try {
      // The driver directly, not DriverManager: under Quarkus' test class loaders DriverManager
      // may not see a driver registered by another loader.
      root = (DuckDBConnection) new DuckDBDriver().connect(url, new Properties());
      try (Statement st = root.createStatement()) {
        st.execute("CREATE SCHEMA IF NOT EXISTS " + META_SCHEMA);
        st.execute(
            "CREATE TABLE IF NOT EXISTS "
                + META
                + " (dataset VARCHAR NOT NULL, name VARCHAR NOT NULL, kind VARCHAR NOT NULL,"
                + " description VARCHAR, location VARCHAR, labels VARCHAR, partitioning VARCHAR,"
                + " clustering VARCHAR, columns VARCHAR, PRIMARY KEY (dataset, name))");
      }
    } catch (SQLException e) {
      throw new WarehouseException(Kind.PERMANENT, "cannot open DuckDB at " + url, e);
    }
  }

  @Override
  public Dialect dialect() {
    return Dialect.DUCKDB;
  }

  // ---------------------------------------------------------------- snapshot

  @Override
  public Map<String, ObservedDataset> snapshot(Collection<String> datasets) {
    if (datasets.isEmpty()) {
      return Map.of();
    }
    String in =
        datasets.stream()
            .map(Identifiers::dataset)
            .map(d -> "'" + d + "'")
            .collect(Collectors.joining(","));
    try (Connection c = connection();
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
      Map<String, Map<String, MetaRow>> meta = readMeta(st, in);
      Map<String, Map<String, String>> kinds = new HashMap<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE"
                  + " table_catalog = current_database() AND table_schema IN ("
                  + in
                  + ")")) {
        while (rs.next()) {
          kinds
              .computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
              .put(rs.getString(2), rs.getString(3));
        }
      }
      Map<String, Map<String, List<Column>>> columns = new HashMap<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT table_schema, table_name, column_name, data_type, is_nullable FROM"
                  + " information_schema.columns WHERE table_catalog = current_database() AND"
                  + " table_schema IN ("
                  + in
                  + ") ORDER BY table_schema, table_name, ordinal_position")) {
        while (rs.next()) {
          String ds = rs.getString(1);
          String table = rs.getString(2);
          MetaRow tableMeta = meta.getOrDefault(ds, Map.of()).get(table.toLowerCase(Locale.ROOT));
          Map<String, ColumnMeta> colMeta = tableMeta == null ? Map.of() : tableMeta.columns();
          Column col =
              column(
                  rs.getString(3),
                  rs.getString(3),
                  DuckDbTypes.parse(rs.getString(4)),
                  "NO".equals(rs.getString(5)),
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
        MetaRow dsRow = dsMeta.get(DATASET_ROW);
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
                            m == null ? null : m.labels()));
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
                tables,
                views));
      }
      return out;
    } catch (SQLException e) {
      throw classify("snapshot of " + datasets.size() + " dataset(s)", e);
    }
  }

  @Override
  public List<String> managedDatasets() {
    try (Connection c = connection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT m.dataset, m.labels FROM "
                    + META
                    + " m JOIN information_schema.schemata s ON s.schema_name = m.dataset AND"
                    + " s.catalog_name = current_database() WHERE m.name = '' ORDER BY"
                    + " m.dataset")) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        Map<String, String> labels = readLabels(rs.getString(2));
        if (DesiredDataset.MANAGED_BY_VALUE.equals(labels.get(DesiredDataset.MANAGED_BY))) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw classify("listing managed datasets", e);
    }
  }

  private Column column(
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

  // ---------------------------------------------------------------- plan steps

  @Override
  public void apply(PlanStep step) {
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        // Java 17: no pattern switch; the sealed hierarchy keeps this list complete.
        if (step instanceof CreateDataset s) {
          boolean existed = schemaExists(c, s.dataset());
          st.execute("CREATE SCHEMA IF NOT EXISTS " + quote(Identifiers.dataset(s.dataset())));
          // A dataset dropped by hand leaves its metadata behind: a new one starts afresh.
          if (!existed || readMetaRow(c, s.dataset(), DATASET_ROW) == null) {
            writeMeta(
                c,
                s.dataset(),
                DATASET_ROW,
                new MetaRow(
                    "DATASET", s.description(), s.location(), s.labels(), null, null, Map.of()));
          }
        } else if (step instanceof UpdateDataset s) {
          MetaRow m = orEmpty(readMetaRow(c, s.dataset(), DATASET_ROW), "DATASET");
          writeMeta(
              c,
              s.dataset(),
              DATASET_ROW,
              m.withDescription(s.description()).withLabels(merge(m.labels(), s.labels())));
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

  private void createTable(Connection c, Statement st, CreateTable s) throws SQLException {
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
    st.execute(
        "CREATE TABLE IF NOT EXISTS " + qualified(s.dataset(), t.name()) + " (" + cols + ")");
    writeMeta(
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
            columnMeta(t.columns())));
  }

  private void addColumns(Connection c, Statement st, AddColumns s) throws SQLException {
    MetaRow m = orEmpty(readMetaRow(c, s.dataset(), s.table()), "TABLE");
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
    writeMeta(c, s.dataset(), s.table(), m.withColumns(cols));
  }

  private void relaxColumns(Connection c, Statement st, RelaxColumns s) throws SQLException {
    MetaRow m = orEmpty(readMetaRow(c, s.dataset(), s.table()), "TABLE");
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
    writeMeta(c, s.dataset(), s.table(), m.withColumns(cols));
  }

  private void updateOptions(Connection c, UpdateTableOptions s) throws SQLException {
    TableDef t = s.table();
    MetaRow m = orEmpty(readMetaRow(c, s.dataset(), t.name()), "TABLE");
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
    writeMeta(c, s.dataset(), t.name(), m);
  }

  private void createView(Connection c, Statement st, CreateOrReplaceView s) throws SQLException {
    String sql =
        ViewTemplate.render(
            s.view().templateFor(Dialect.DUCKDB),
            ref ->
                qualified(
                    ref.scope() == Scope.CENTRAL ? s.centralDataset() : s.dataset(), ref.table()),
            s.orgSlug());
    st.execute("CREATE OR REPLACE VIEW " + qualified(s.dataset(), s.view().name()) + " AS " + sql);
    writeMeta(
        c,
        s.dataset(),
        s.view().name(),
        new MetaRow("VIEW", s.view().description(), null, s.labels(), null, null, Map.of()));
  }

  // ---------------------------------------------------------------- rows

  @Override
  public void insertRows(String dataset, String table, List<Map<String, Object>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      insert(c, dataset, table, rows);
      c.commit();
    } catch (SQLException e) {
      throw classify("insert into " + dataset + "." + table, e);
    }
  }

  @Override
  public void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    String where =
        keyColumns.stream()
            .map(k -> quote(Identifiers.name(k)) + " = ?")
            .collect(Collectors.joining(" AND "));
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement del =
          c.prepareStatement("DELETE FROM " + qualified(dataset, table) + " WHERE " + where)) {
        for (Map<String, Object> row : rows) {
          for (int i = 0; i < keyColumns.size(); i++) {
            del.setObject(i + 1, jdbcValue(row.get(keyColumns.get(i))));
          }
          del.executeUpdate();
        }
      }
      insert(c, dataset, table, rows);
      c.commit();
    } catch (SQLException e) {
      throw classify("upsert into " + dataset + "." + table, e);
    }
  }

  @Override
  public List<Map<String, Object>> selectRows(
      String dataset, String table, Map<String, Object> equalTo, int limit) {
    List<String> keys = new ArrayList<>(equalTo.keySet());
    String where =
        keys.isEmpty()
            ? ""
            : " WHERE "
                + keys.stream()
                    .map(k -> quote(Identifiers.name(k)) + " = ?")
                    .collect(Collectors.joining(" AND "));
    try (Connection c = connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT * FROM " + qualified(dataset, table) + where + " LIMIT " + limit)) {
      for (int i = 0; i < keys.size(); i++) {
        ps.setObject(i + 1, jdbcValue(equalTo.get(keys.get(i))));
      }
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        List<Map<String, Object>> out = new ArrayList<>();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            row.put(md.getColumnName(i), rs.getObject(i));
          }
          out.add(row);
        }
        return out;
      }
    } catch (SQLException e) {
      throw classify("select from " + dataset + "." + table, e);
    }
  }

  private void insert(Connection c, String dataset, String table, List<Map<String, Object>> rows)
      throws SQLException {
    // Rows may name different column sets; group so each batch has one statement shape.
    Map<List<String>, List<Map<String, Object>>> byShape = new LinkedHashMap<>();
    for (Map<String, Object> row : rows) {
      byShape.computeIfAbsent(new ArrayList<>(row.keySet()), k -> new ArrayList<>()).add(row);
    }
    for (var entry : byShape.entrySet()) {
      List<String> cols = entry.getKey();
      String sql =
          "INSERT INTO "
              + qualified(dataset, table)
              + " ("
              + cols.stream().map(k -> quote(Identifiers.name(k))).collect(Collectors.joining(", "))
              + ") VALUES ("
              + cols.stream().map(k -> "?").collect(Collectors.joining(", "))
              + ")";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (Map<String, Object> row : entry.getValue()) {
          for (int i = 0; i < cols.size(); i++) {
            ps.setObject(i + 1, jdbcValue(row.get(cols.get(i))));
          }
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  private static Object jdbcValue(Object v) {
    return v instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : v;
  }

  // ---------------------------------------------------------------- metadata

  /** Declared type, mode and description of one column path. */
  record ColumnMeta(FieldType type, FieldMode mode, String description) {}

  /** Stored metadata of one dataset, table or view. */
  record MetaRow(
      String kind,
      String description,
      String location,
      Map<String, String> labels,
      Partitioning partitioning,
      List<String> clustering,
      Map<String, ColumnMeta> columns) {

    MetaRow withDescription(String d) {
      return new MetaRow(kind, d, location, labels, partitioning, clustering, columns);
    }

    MetaRow withLabels(Map<String, String> l) {
      return new MetaRow(kind, description, location, l, partitioning, clustering, columns);
    }

    MetaRow withClustering(List<String> c) {
      return new MetaRow(kind, description, location, labels, partitioning, c, columns);
    }

    MetaRow withPartitioning(Partitioning p) {
      return new MetaRow(kind, description, location, labels, p, clustering, columns);
    }

    MetaRow withColumns(Map<String, ColumnMeta> c) {
      return new MetaRow(kind, description, location, labels, partitioning, clustering, c);
    }
  }

  private static MetaRow orEmpty(MetaRow row, String kind) {
    return row != null ? row : new MetaRow(kind, null, null, Map.of(), null, List.of(), Map.of());
  }

  private static Map<String, String> merge(Map<String, String> base, Map<String, String> extra) {
    Map<String, String> out = new LinkedHashMap<>(base == null ? Map.of() : base);
    out.putAll(extra);
    return out;
  }

  private static Map<String, ColumnMeta> columnMeta(List<Column> columns) {
    return columnMeta("", columns);
  }

  private static Map<String, ColumnMeta> columnMeta(String parent, List<Column> columns) {
    Map<String, ColumnMeta> out = new LinkedHashMap<>();
    for (Column col : columns) {
      String path =
          (parent.isEmpty() ? col.name() : parent + "." + col.name()).toLowerCase(Locale.ROOT);
      out.put(path, new ColumnMeta(col.type(), col.mode(), col.description()));
      out.putAll(columnMeta(path, col.fields()));
    }
    return out;
  }

  private Map<String, Map<String, MetaRow>> readMeta(Statement st, String in) throws SQLException {
    Map<String, Map<String, MetaRow>> out = new HashMap<>();
    try (ResultSet rs =
        st.executeQuery(
            "SELECT dataset, name, kind, description, location, labels, partitioning, clustering,"
                + " columns FROM "
                + META
                + " WHERE dataset IN ("
                + in
                + ")")) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
            .put(rs.getString(2).toLowerCase(Locale.ROOT), metaRow(rs));
      }
    }
    return out;
  }

  private MetaRow readMetaRow(Connection c, String dataset, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT dataset, name, kind, description, location, labels, partitioning, clustering,"
                + " columns FROM "
                + META
                + " WHERE dataset = ? AND name = ?")) {
      ps.setString(1, dataset);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? metaRow(rs) : null;
      }
    }
  }

  private static MetaRow metaRow(ResultSet rs) throws SQLException {
    try {
      return new MetaRow(
          rs.getString(3),
          rs.getString(4),
          rs.getString(5),
          readLabels(rs.getString(6)),
          rs.getString(7) == null ? null : JSON.readValue(rs.getString(7), Partitioning.class),
          rs.getString(8) == null
              ? List.of()
              : JSON.readValue(rs.getString(8), new TypeReference<List<String>>() {}),
          rs.getString(9) == null
              ? Map.of()
              : JSON.readValue(
                  rs.getString(9), new TypeReference<LinkedHashMap<String, ColumnMeta>>() {}));
    } catch (JsonProcessingException e) {
      throw new SQLException("corrupt metadata row: " + e.getOriginalMessage(), e);
    }
  }

  private static Map<String, String> readLabels(String json) throws SQLException {
    try {
      return json == null
          ? Map.of()
          : JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new SQLException("corrupt labels: " + e.getOriginalMessage(), e);
    }
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

  private void writeMeta(Connection c, String dataset, String name, MetaRow m) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT OR REPLACE INTO "
                + META
                + " (dataset, name, kind, description, location, labels, partitioning,"
                + " clustering, columns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, dataset);
      ps.setString(2, name.toLowerCase(Locale.ROOT));
      ps.setString(3, m.kind());
      ps.setString(4, m.description());
      ps.setString(5, m.location());
      ps.setString(6, JSON.writeValueAsString(m.labels() == null ? Map.of() : m.labels()));
      ps.setString(7, m.partitioning() == null ? null : JSON.writeValueAsString(m.partitioning()));
      ps.setString(8, JSON.writeValueAsString(m.clustering() == null ? List.of() : m.clustering()));
      ps.setString(9, JSON.writeValueAsString(m.columns() == null ? Map.of() : m.columns()));
      ps.executeUpdate();
    } catch (JsonProcessingException e) {
      throw new SQLException("cannot serialise metadata: " + e.getOriginalMessage(), e);
    }
  }

  // ---------------------------------------------------------------- plumbing

  private Connection connection() throws SQLException {
    // One DuckDB database, one connection per call: DuckDB connections are not thread-safe.
    return root.duplicate();
  }

  private static String qualified(String dataset, String name) {
    return quote(Identifiers.dataset(dataset)) + "." + quote(Identifiers.name(name));
  }

  private static WarehouseException classify(String what, SQLException e) {
    String msg = String.valueOf(e.getMessage());
    Kind kind;
    if (msg.contains("Catalog Error") && msg.contains("does not exist")) {
      kind = Kind.NOT_FOUND;
    } else if (msg.contains("Transaction conflict") || msg.contains("TransactionContext Error")) {
      kind = Kind.TRANSIENT;
    } else {
      kind = Kind.PERMANENT;
    }
    return new WarehouseException(kind, what + " failed: " + msg, e);
  }

  /** Runs raw SQL; for tests and the drift simulator, never for message content. */
  public void execute(String sql) {
    try (Connection c = connection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw classify("statement", e);
    }
  }

  /** Reads the stored metadata of a dataset (for diagnostics). */
  Optional<MetaRow> metadata(String dataset, String name) {
    try (Connection c = connection()) {
      return Optional.ofNullable(readMetaRow(c, dataset, name));
    } catch (SQLException e) {
      throw classify("read metadata", e);
    }
  }

  @Override
  public void close() {
    try {
      root.close();
    } catch (SQLException e) {
      throw classify("close", e);
    }
  }
}
