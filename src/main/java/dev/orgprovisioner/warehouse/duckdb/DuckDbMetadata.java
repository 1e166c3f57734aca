package dev.orgprovisioner.warehouse.duckdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.FieldType;
import dev.orgprovisioner.catalog.Partitioning;
import dev.orgprovisioner.warehouse.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The metadata table that keeps what DuckDB has no notion of, one row per dataset, table, view. */
final class DuckDbMetadata {

  static final String META_SCHEMA = "_provisioner";

  /**
   * A dataset's rows, keyed by dataset and name without a PRIMARY KEY: DuckDB's index made every
   * commit that wrote a row several times dearer (measured in docs/performance.md); each write
   * deletes its key's rows and inserts one, in the caller's transaction.
   */
  static String meta(String dataset) {
    return DuckDbTypes.quote(Identifiers.dataset(dataset)) + "." + META_SCHEMA + ".object_meta";
  }

  /** The name of a dataset's own row. */
  static final String DATASET_ROW = "";

  private static final String SELECT =
      "SELECT dataset, name, kind, description, location, labels, partitioning, clustering,"
          + " columns, view_sql, settings FROM ";
  private static final ObjectMapper JSON = new ObjectMapper();

  private DuckDbMetadata() {}

  /** Declared type, mode and description of one column path. */
  record ColumnMeta(FieldType type, FieldMode mode, String description) {}

  /**
   * The SQL a view was created with and DuckDB's echo of it right afterwards. DuckDB echoes a view
   * re-serialised from its parse tree, never as written; while the echo is unchanged the view is
   * still the one created from {@code source}.
   */
  record ViewText(String source, String echo) {}

  /**
   * A dataset's options, named and measured as in BigQuery's REST dataset resource; null when not
   * set.
   */
  record StoredSettings(
      Long defaultTableExpirationMs,
      Long defaultPartitionExpirationMs,
      Long maxTimeTravelHours,
      String defaultKmsKeyName) {

    static StoredSettings of(DatasetSettings s) {
      return new StoredSettings(
          s.defaultTableExpiration() == null ? null : s.defaultTableExpiration().toMillis(),
          s.defaultPartitionExpiration() == null ? null : s.defaultPartitionExpiration().toMillis(),
          s.maxTimeTravel() == null ? null : s.maxTimeTravel().toHours(),
          s.defaultKmsKeyName());
    }

    DatasetSettings settings() {
      return new DatasetSettings(
          defaultTableExpirationMs == null ? null : Duration.ofMillis(defaultTableExpirationMs),
          defaultPartitionExpirationMs == null
              ? null
              : Duration.ofMillis(defaultPartitionExpirationMs),
          maxTimeTravelHours == null ? null : Duration.ofHours(maxTimeTravelHours),
          defaultKmsKeyName,
          Map.of());
    }

    /** These, with every option {@code s} sets replacing ours. */
    StoredSettings overriddenBy(DatasetSettings s) {
      return of(settings().overriddenBy(s));
    }
  }

  /**
   * Stored metadata of one dataset, table or view ({@code view} only for a view, {@code settings}
   * only for a dataset).
   */
  record MetaRow(
      String kind,
      String description,
      String location,
      Map<String, String> labels,
      Partitioning partitioning,
      List<String> clustering,
      Map<String, ColumnMeta> columns,
      ViewText view,
      StoredSettings settings) {

    MetaRow withDescription(String d) {
      return new MetaRow(
          kind, d, location, labels, partitioning, clustering, columns, view, settings);
    }

    MetaRow withLabels(Map<String, String> l) {
      return new MetaRow(
          kind, description, location, l, partitioning, clustering, columns, view, settings);
    }

    MetaRow withClustering(List<String> c) {
      return new MetaRow(
          kind, description, location, labels, partitioning, c, columns, view, settings);
    }

    MetaRow withPartitioning(Partitioning p) {
      return new MetaRow(
          kind, description, location, labels, p, clustering, columns, view, settings);
    }

    MetaRow withColumns(Map<String, ColumnMeta> c) {
      return new MetaRow(
          kind, description, location, labels, partitioning, clustering, c, view, settings);
    }

    MetaRow withSettings(StoredSettings s) {
      return new MetaRow(
          kind, description, location, labels, partitioning, clustering, columns, view, s);
    }
  }

  /** Creates a dataset's metadata schema and table unless they exist. */
  static void createIfAbsent(Connection c, String dataset) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE SCHEMA IF NOT EXISTS "
              + DuckDbTypes.quote(Identifiers.dataset(dataset))
              + "."
              + META_SCHEMA);
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + meta(dataset)
              + " (dataset VARCHAR NOT NULL, name VARCHAR NOT NULL, kind VARCHAR NOT NULL,"
              + " description VARCHAR, location VARCHAR, labels VARCHAR, partitioning VARCHAR,"
              + " clustering VARCHAR, columns VARCHAR, view_sql VARCHAR, settings VARCHAR,"
              + " object_name VARCHAR)");
    }
  }

  /**
   * Takes DuckDB's current echo of every view the provisioner created as the echo to compare with.
   * Opening a database file re-serialises views once more, so an echo recorded in an earlier
   * process may no longer match an untouched view; a view edited while no worker had the file open
   * is therefore not seen as edited (while one is open, it is).
   */
  static void refreshViewEchoes(Connection c, String dataset) throws SQLException {
    updateViewEchoes(c, dataset, EchoUpdate.REFRESH);
  }

  /**
   * Forgets the echo of each view DuckDB still echoes as recorded, before the dataset is detached:
   * attaching it again re-serialises its views, so an untouched view would no longer match its
   * echo; without one it is taken as created until other SQL runs. A view whose echo changed (SQL
   * other than ours replaced it) keeps the old one, and stays drift.
   */
  static void forgetUntouchedViewEchoes(Connection c, String dataset) throws SQLException {
    updateViewEchoes(c, dataset, EchoUpdate.FORGET_UNTOUCHED);
  }

  /** What {@link #updateViewEchoes} does to each view's recorded echo. */
  private enum EchoUpdate {
    MISSING,
    REFRESH,
    FORGET_UNTOUCHED
  }

  /**
   * Records DuckDB's echo of each view created without one (views are created without: reading an
   * echo lists every view of the file), before SQL other than the provisioner's may change them.
   */
  static void recordMissingViewEchoes(Connection c, String dataset) throws SQLException {
    updateViewEchoes(c, dataset, EchoUpdate.MISSING);
  }

  private static void updateViewEchoes(Connection c, String dataset, EchoUpdate update)
      throws SQLException {
    Map<List<String>, String> refreshed = new LinkedHashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT m.dataset, m.name, m.view_sql, v.sql FROM "
                    + meta(dataset)
                    + " m JOIN duckdb_views() v ON v.database_name = '"
                    + Identifiers.dataset(dataset)
                    + "' AND v.schema_name = 'main' AND lower(v.view_name) = lower(m.name)"
                    + " WHERE m.view_sql IS NOT NULL")) {
      while (rs.next()) {
        ViewText stored = JSON.readValue(rs.getString(3), ViewText.class);
        String echo = rs.getString(4);
        String now =
            switch (update) {
              case MISSING -> stored.echo() == null ? echo : stored.echo();
              case REFRESH ->
                  stored.echo() == null || !echo.equals(stored.echo()) ? echo : stored.echo();
              case FORGET_UNTOUCHED -> echo.equals(stored.echo()) ? null : stored.echo();
            };
        if (!java.util.Objects.equals(now, stored.echo())) {
          refreshed.put(
              List.of(rs.getString(1), rs.getString(2)),
              JSON.writeValueAsString(new ViewText(stored.source(), now)));
        }
      }
    } catch (JsonProcessingException e) {
      throw new SQLException("corrupt view metadata: " + e.getOriginalMessage(), e);
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE " + meta(dataset) + " SET view_sql = ? WHERE dataset = ? AND name = ?")) {
      for (Map.Entry<List<String>, String> e : refreshed.entrySet()) {
        ps.setString(1, e.getValue());
        ps.setString(2, e.getKey().get(0));
        ps.setString(3, e.getKey().get(1));
        ps.executeUpdate();
      }
    }
  }

  static MetaRow orEmpty(MetaRow row, String kind) {
    return row != null
        ? row
        : new MetaRow(kind, null, null, Map.of(), null, List.of(), Map.of(), null, null);
  }

  static Map<String, String> merge(Map<String, String> base, Map<String, String> extra) {
    Map<String, String> out = new LinkedHashMap<>(base == null ? Map.of() : base);
    out.putAll(extra);
    return out;
  }

  static Map<String, ColumnMeta> columnMeta(List<Column> columns) {
    return columnMeta("", columns);
  }

  static Map<String, ColumnMeta> columnMeta(String parent, List<Column> columns) {
    Map<String, ColumnMeta> out = new LinkedHashMap<>();
    for (Column col : columns) {
      String path =
          (parent.isEmpty() ? col.name() : parent + "." + col.name()).toLowerCase(Locale.ROOT);
      out.put(path, new ColumnMeta(col.type(), col.mode(), col.description()));
      out.putAll(columnMeta(path, col.fields()));
    }
    return out;
  }

  /** Every metadata row of a dataset, by lower-case name. */
  static Map<String, MetaRow> read(Connection c, String dataset) throws SQLException {
    Map<String, MetaRow> out = new HashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(SELECT + meta(dataset))) {
      while (rs.next()) {
        out.put(rs.getString(2).toLowerCase(Locale.ROOT), metaRow(rs));
      }
    }
    return out;
  }

  static MetaRow read(Connection c, String dataset, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(SELECT + meta(dataset) + " WHERE dataset = ? AND name = ?")) {
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
                  rs.getString(9), new TypeReference<LinkedHashMap<String, ColumnMeta>>() {}),
          rs.getString(10) == null ? null : JSON.readValue(rs.getString(10), ViewText.class),
          rs.getString(11) == null ? null : JSON.readValue(rs.getString(11), StoredSettings.class));
    } catch (JsonProcessingException e) {
      throw new SQLException("corrupt metadata row: " + e.getOriginalMessage(), e);
    }
  }

  static Map<String, String> readLabels(String json) throws SQLException {
    try {
      return json == null
          ? Map.of()
          : JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new SQLException("corrupt labels: " + e.getOriginalMessage(), e);
    }
  }

  /** Replaces the row of {@code dataset}, {@code name}: call it inside a transaction. */
  static void write(Connection c, String dataset, String name, MetaRow m) throws SQLException {
    writeAll(c, dataset, Map.of(name, m));
  }

  /**
   * Replaces the rows of {@code dataset} named by {@code rows}' keys with one delete and one batch
   * of inserts (a write per object made every commit dearer as the table grew): call it inside a
   * transaction.
   */
  static void writeAll(Connection c, String dataset, Map<String, MetaRow> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement del =
        c.prepareStatement(
            "DELETE FROM "
                + meta(dataset)
                + " WHERE dataset = ? AND name IN ("
                + String.join(", ", java.util.Collections.nCopies(rows.size(), "?"))
                + ")")) {
      del.setString(1, dataset);
      int i = 2;
      for (String name : rows.keySet()) {
        del.setString(i++, name.toLowerCase(Locale.ROOT));
      }
      del.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + meta(dataset)
                + " (dataset, name, kind, description, location, labels, partitioning,"
                + " clustering, columns, view_sql, settings, object_name)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Map.Entry<String, MetaRow> e : rows.entrySet()) {
        bind(ps, dataset, e.getKey(), e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (JsonProcessingException e) {
      throw new SQLException("cannot serialise metadata: " + e.getOriginalMessage(), e);
    }
  }

  private static void bind(PreparedStatement ps, String dataset, String name, MetaRow m)
      throws SQLException, JsonProcessingException {
    ps.setString(1, dataset);
    ps.setString(2, name.toLowerCase(Locale.ROOT));
    ps.setString(3, m.kind());
    ps.setString(4, m.description());
    ps.setString(5, m.location());
    ps.setString(6, JSON.writeValueAsString(m.labels() == null ? Map.of() : m.labels()));
    ps.setString(7, m.partitioning() == null ? null : JSON.writeValueAsString(m.partitioning()));
    ps.setString(8, JSON.writeValueAsString(m.clustering() == null ? List.of() : m.clustering()));
    ps.setString(9, JSON.writeValueAsString(m.columns() == null ? Map.of() : m.columns()));
    ps.setString(10, m.view() == null ? null : JSON.writeValueAsString(m.view()));
    ps.setString(11, m.settings() == null ? null : JSON.writeValueAsString(m.settings()));
    ps.setString(12, name);
  }
}
