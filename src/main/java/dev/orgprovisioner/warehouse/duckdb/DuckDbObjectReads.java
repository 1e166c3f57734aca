package dev.orgprovisioner.warehouse.duckdb;

import static dev.orgprovisioner.warehouse.duckdb.DuckDbSql.qualified;

import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.warehouse.duckdb.DuckDbMetadata.MetaRow;
import dev.orgprovisioner.warehouse.duckdb.DuckDbSnapshot.CatalogRead;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the objects the metadata table names, each by its name: a read costs as much as its
 * datasets, not as much as the file (DuckDB's catalog functions list every object of the file).
 */
final class DuckDbObjectReads {

  private DuckDbObjectReads() {}

  /**
   * The datasets in {@code in} as DuckDB holds the objects their metadata names; empty when one of
   * them is gone (dropped while no worker had the file open), so the caller reads the catalog.
   */
  static Optional<CatalogRead> read(Connection c, String in, Map<String, Map<String, MetaRow>> meta)
      throws SQLException {
    Map<String, Map<String, String>> names = meta.isEmpty() ? Map.of() : createdNames(c, in);
    List<String> existing = new ArrayList<>();
    Map<String, Map<String, String>> kinds = new HashMap<>();
    Map<String, String> echoes = new HashMap<>();
    Map<String, Map<String, List<Column>>> columns = new HashMap<>();
    for (Map.Entry<String, Map<String, MetaRow>> dataset : meta.entrySet()) {
      String ds = dataset.getKey();
      if (!dataset.getValue().containsKey(DuckDbMetadata.DATASET_ROW)) {
        continue;
      }
      existing.add(ds);
      Map<String, String> dsKinds = new LinkedHashMap<>();
      kinds.put(ds, dsKinds);
      List<String> objects = new ArrayList<>();
      dataset
          .getValue()
          .forEach(
              (key, row) -> {
                if (key.equals(DuckDbMetadata.DATASET_ROW)) {
                  return;
                }
                String name = names.getOrDefault(ds, Map.of()).getOrDefault(key, key);
                objects.add(name);
                if ("VIEW".equals(row.kind())) {
                  dsKinds.put(name, "VIEW");
                  // The stored echo stands for DuckDB's: no SQL but ours ran since it was taken.
                  echoes.put(
                      DuckDbSnapshot.viewKey(ds, name),
                      row.view() == null ? null : row.view().echo());
                } else {
                  dsKinds.put(name, "BASE TABLE");
                }
              });
      if (!readColumns(c, ds, objects, dsKinds, meta, columns) || !schemaExists(c, ds, objects)) {
        return Optional.empty();
      }
    }
    return Optional.of(new CatalogRead(existing, kinds, columns, echoes));
  }

  /** Each object's columns in one statement; false when one of the objects does not exist. */
  private static boolean readColumns(
      Connection c,
      String ds,
      List<String> objects,
      Map<String, String> kinds,
      Map<String, Map<String, MetaRow>> meta,
      Map<String, Map<String, List<Column>>> columns)
      throws SQLException {
    if (objects.isEmpty()) {
      return true;
    }
    // Views are read too: a view dropped while no worker had the file open must show as missing.
    StringBuilder sql = new StringBuilder("SELECT i, name, type, \"notnull\" FROM (");
    for (int i = 0; i < objects.size(); i++) {
      if (i > 0) {
        sql.append(" UNION ALL ");
      }
      sql.append("SELECT ")
          .append(i)
          .append(" AS i, cid, name, type, \"notnull\" FROM pragma_table_info('")
          .append(qualified(ds, objects.get(i)).replace("'", "''"))
          .append("')");
    }
    sql.append(") ORDER BY i, cid");
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql.toString())) {
      while (rs.next()) {
        String object = objects.get(rs.getInt(1));
        if (!"VIEW".equals(kinds.get(object))) {
          DuckDbSnapshot.addColumn(
              columns, meta, ds, object, rs.getString(2), rs.getString(3), rs.getBoolean(4));
        }
      }
      return true;
    } catch (SQLException e) {
      if (String.valueOf(e.getMessage()).contains("does not exist")) {
        return false;
      }
      throw e;
    }
  }

  /** Whether a dataset without objects still has its schema (one with objects was just read). */
  private static boolean schemaExists(Connection c, String ds, List<String> objects)
      throws SQLException {
    if (!objects.isEmpty()) {
      return true;
    }
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT 1 FROM duckdb_schemas() WHERE database_name = current_database() AND"
                    + " schema_name = '"
                    + ds.replace("'", "''")
                    + "'")) {
      return rs.next();
    }
  }

  /** The objects' names as created, by dataset and lower-case name (rows of old versions: none). */
  private static Map<String, Map<String, String>> createdNames(Connection c, String in)
      throws SQLException {
    Map<String, Map<String, String>> out = new HashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT dataset, name, object_name FROM "
                    + DuckDbMetadata.META
                    + " WHERE object_name IS NOT NULL AND dataset IN ("
                    + in
                    + ")")) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
            .put(rs.getString(2), rs.getString(3));
      }
    }
    return out;
  }
}
