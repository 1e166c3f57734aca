package dev.orgprovisioner.warehouse.duckdb;

import static dev.orgprovisioner.warehouse.duckdb.DuckDbSql.classify;
import static dev.orgprovisioner.warehouse.duckdb.DuckDbSql.equalToPlaceholders;
import static dev.orgprovisioner.warehouse.duckdb.DuckDbSql.qualified;
import static dev.orgprovisioner.warehouse.duckdb.DuckDbTypes.quote;

import dev.orgprovisioner.warehouse.Identifiers;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.duckdb.DuckDbSql.Connections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Inserts, upserts and selects table rows with prepared statements. */
final class DuckDbTableRows {

  private final Connections connections;

  DuckDbTableRows(Connections connections) {
    this.connections = connections;
  }

  void insertRows(String dataset, String table, List<Map<String, Object>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    try (Connection c = connections.open(dataset)) {
      c.setAutoCommit(false);
      insert(c, dataset, table, rows);
      c.commit();
    } catch (SQLException e) {
      throw classify("insert into " + dataset + "." + table, e);
    }
  }

  void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {
    upsertAll(dataset, List.of(new Warehouse.TableRows(table, keyColumns, rows)));
  }

  /** Every table's rows in one transaction: one commit for an org's rows of several tables. */
  void upsertAll(String dataset, List<Warehouse.TableRows> tables) {
    String current = null;
    try (Connection c = connections.open(dataset)) {
      c.setAutoCommit(false);
      for (Warehouse.TableRows t : tables) {
        current = t.table();
        upsert(c, dataset, t.table(), t.keyColumns(), t.rows());
      }
      c.commit();
    } catch (SQLException e) {
      throw classify("upsert into " + dataset + "." + current, e);
    }
  }

  private static void upsert(
      Connection c,
      String dataset,
      String table,
      List<String> keyColumns,
      List<Map<String, Object>> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    String where = equalToPlaceholders(keyColumns);
    // Like BigQuery's MERGE: a matched row gets the named columns, the others keep their values.
    Map<List<Object>, Map<String, Object>> lastPerKey = new LinkedHashMap<>();
    for (Map<String, Object> row : rows) {
      lastPerKey.put(keyColumns.stream().map(row::get).toList(), row);
    }
    List<Map<String, Object>> absent = new ArrayList<>();
    for (Map<String, Object> row : lastPerKey.values()) {
      List<String> set = row.keySet().stream().filter(k -> !keyColumns.contains(k)).toList();
      String sql =
          set.isEmpty()
              ? "SELECT count(*) FROM " + qualified(dataset, table) + " WHERE " + where
              : "UPDATE "
                  + qualified(dataset, table)
                  + " SET "
                  + set.stream()
                      .map(k -> quote(Identifiers.name(k)) + " = ?")
                      .collect(Collectors.joining(", "))
                  + " WHERE "
                  + where;
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int i = 1;
        for (String k : set) {
          ps.setObject(i++, jdbcValue(row.get(k)));
        }
        for (String k : keyColumns) {
          ps.setObject(i++, jdbcValue(row.get(k)));
        }
        if (matched(ps, set.isEmpty()) == 0) {
          absent.add(row);
        }
      }
    }
    insert(c, dataset, table, absent);
  }

  private static long matched(PreparedStatement ps, boolean count) throws SQLException {
    if (!count) {
      return ps.executeUpdate();
    }
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Rows of a table or view. A view reads another dataset's tables (an org's views read central
   * ones): when DuckDB reports that dataset missing because it is not attached, it is attached for
   * the read and the read is run again.
   */
  List<Map<String, Object>> selectRows(
      String dataset, String table, Map<String, Object> equalTo, int limit) {
    List<String> keys = new ArrayList<>(equalTo.keySet());
    String where = keys.isEmpty() ? "" : " WHERE " + equalToPlaceholders(keys);
    try {
      return connections.attachingMissing(
          List.of(dataset),
          (held, other) -> held.size() <= 3,
          (c, held) -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT * FROM " + qualified(dataset, table) + where + " LIMIT " + limit)) {
              for (int i = 0; i < keys.size(); i++) {
                ps.setObject(i + 1, jdbcValue(equalTo.get(keys.get(i))));
              }
              return rows(ps);
            }
          });
    } catch (SQLException e) {
      throw classify("select from " + dataset + "." + table, e);
    }
  }

  private static List<Map<String, Object>> rows(PreparedStatement ps) throws SQLException {
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
  }

  private static void insert(
      Connection c, String dataset, String table, List<Map<String, Object>> rows)
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
}
