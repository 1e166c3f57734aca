package dev.orgprovisioner.warehouse.duckdb;

import static dev.orgprovisioner.warehouse.duckdb.DuckDbSql.classify;

import dev.orgprovisioner.warehouse.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Deleted datasets kept aside, as BigQuery's time travel keeps them: a deleted schema stays in the
 * file, hidden from every read and write, until it is undeleted or a dataset of its name is created
 * again (which purges it). DuckDB cannot rename a schema, so hiding is what "aside" means here.
 */
final class DuckDbTrash {

  private static final String TABLE = DuckDbMetadata.META_SCHEMA + ".deleted_datasets";

  private final ConnectionSource connections;
  // The worker is the file's only writer (DuckDB locks it), so the set mirrors the table.
  private final Set<String> deleted = new HashSet<>();

  /** Where connections come from (one per call). */
  interface ConnectionSource {
    Connection get() throws SQLException;
  }

  DuckDbTrash(ConnectionSource connections) {
    this.connections = connections;
    try (Connection c = connections.get();
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + TABLE
              + " (dataset VARCHAR PRIMARY KEY, deleted_at TIMESTAMP NOT NULL)");
      try (ResultSet rs = st.executeQuery("SELECT dataset FROM " + TABLE)) {
        while (rs.next()) {
          deleted.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw classify("open the deleted datasets", e);
    }
  }

  synchronized boolean isDeleted(String dataset) {
    return deleted.contains(dataset);
  }

  /** Hides a dataset that exists; false when there was none (or it was hidden already). */
  synchronized boolean delete(String dataset, boolean exists, Instant at) {
    if (!exists || deleted.contains(dataset)) {
      return false;
    }
    try (Connection c = connections.get();
        PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " VALUES (?, ?)")) {
      ps.setString(1, dataset);
      ps.setTimestamp(2, Timestamp.from(at));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw classify("delete dataset " + dataset, e);
    }
    deleted.add(dataset);
    return true;
  }

  /** Shows a hidden dataset again; false when none of that name is hidden. */
  synchronized boolean undelete(String dataset) {
    if (!deleted.contains(dataset)) {
      return false;
    }
    forget(dataset);
    return true;
  }

  /** Drops a hidden dataset for good, with its stored metadata. */
  synchronized void purge(String dataset) {
    if (!deleted.contains(dataset)) {
      return;
    }
    try (Connection c = connections.get();
        Statement st = c.createStatement()) {
      st.execute(
          "DROP SCHEMA IF EXISTS " + DuckDbTypes.quote(Identifiers.dataset(dataset)) + " CASCADE");
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM " + DuckDbMetadata.META + " WHERE dataset = ?")) {
        ps.setString(1, dataset);
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw classify("purge deleted dataset " + dataset, e);
    }
    forget(dataset);
  }

  private void forget(String dataset) {
    try (Connection c = connections.get();
        PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE dataset = ?")) {
      ps.setString(1, dataset);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw classify("undelete dataset " + dataset, e);
    }
    deleted.remove(dataset);
  }
}
