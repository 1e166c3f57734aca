package dev.orgprovisioner.warehouse.duckdb;

import static dev.orgprovisioner.warehouse.duckdb.DuckDbSql.classify;

import dev.orgprovisioner.plan.AccessEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Dataset access lists, kept as metadata: DuckDB has no per-user access control, so locally the
 * model is recorded and compared (by the same callers as BigQuery's), not enforced.
 */
final class DuckDbAccess {

  private static final String TABLE = DuckDbMetadata.META_SCHEMA + ".access";

  private final DuckDbTrash.ConnectionSource connections;

  DuckDbAccess(DuckDbTrash.ConnectionSource connections) {
    this.connections = connections;
    try (Connection c = connections.get();
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + TABLE
              + " (dataset VARCHAR NOT NULL, kind VARCHAR NOT NULL, email VARCHAR NOT NULL,"
              + " role VARCHAR NOT NULL)");
    } catch (SQLException e) {
      throw classify("open the access lists", e);
    }
  }

  List<AccessEntry> entries(String dataset) {
    List<AccessEntry> out = new ArrayList<>();
    try (Connection c = connections.get();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT kind, email, role FROM " + TABLE + " WHERE dataset = ? ORDER BY 1, 2, 3")) {
      ps.setString(1, dataset);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new AccessEntry(
                  AccessEntry.Kind.valueOf(rs.getString(1)),
                  rs.getString(2),
                  AccessEntry.Role.valueOf(rs.getString(3))));
        }
      }
    } catch (SQLException e) {
      throw classify("read the access list of " + dataset, e);
    }
    return out;
  }

  /** One transaction: the list changes wholly or not at all. */
  synchronized void change(
      String dataset, Collection<AccessEntry> grant, Collection<AccessEntry> revoke) {
    try (Connection c = connections.get()) {
      c.setAutoCommit(false);
      try (PreparedStatement delete =
              c.prepareStatement(
                  "DELETE FROM "
                      + TABLE
                      + " WHERE dataset = ? AND kind = ? AND email = ? AND role = ?");
          PreparedStatement insert =
              c.prepareStatement("INSERT INTO " + TABLE + " VALUES (?, ?, ?, ?)")) {
        for (AccessEntry e : revoke) {
          bind(delete, dataset, e).executeUpdate();
        }
        for (AccessEntry e : grant) {
          // Granting what is there changes nothing: delete and insert again.
          bind(delete, dataset, e).executeUpdate();
          bind(insert, dataset, e).executeUpdate();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw classify("change the access list of " + dataset, e);
    }
  }

  /** Forgets a dataset's list (the dataset was purged). */
  void forget(String dataset) {
    change(dataset, List.of(), entries(dataset));
  }

  private static PreparedStatement bind(PreparedStatement ps, String dataset, AccessEntry e)
      throws SQLException {
    ps.setString(1, dataset);
    ps.setString(2, e.kind().name());
    ps.setString(3, e.email());
    ps.setString(4, e.role().name());
    return ps;
  }
}
