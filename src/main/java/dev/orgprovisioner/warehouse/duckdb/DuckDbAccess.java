package dev.orgprovisioner.warehouse.duckdb;

import static dev.orgprovisioner.warehouse.duckdb.DuckDbSql.classify;

import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.warehouse.Identifiers;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.duckdb.DuckDbSql.Connections;
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
 * model is recorded and compared (by the same callers as BigQuery's), not enforced. Authorized
 * datasets are rows of the same table (kind DATASET), bounded like BigQuery's.
 */
final class DuckDbAccess {

  // An authorized dataset is a row of the same list: kind DATASET, its name in email, role VIEWS.
  private static final String AUTHORIZED_DATASET = "DATASET";
  private static final String VIEWS = "VIEWS";

  /** BigQuery's bound on authorized resources per access list, kept here too so both agree. */
  static final int MAX_AUTHORIZED = 2_500;

  private final Connections connections;

  DuckDbAccess(Connections connections) {
    this.connections = connections;
  }

  /** Creates a dataset's access list table unless it exists (its metadata schema does). */
  static void createIfAbsent(Connection c, String dataset) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + table(dataset)
              + " (dataset VARCHAR NOT NULL, kind VARCHAR NOT NULL, email VARCHAR NOT NULL,"
              + " role VARCHAR NOT NULL)");
    }
  }

  private static String table(String dataset) {
    return DuckDbTypes.quote(Identifiers.dataset(dataset))
        + "."
        + DuckDbMetadata.META_SCHEMA
        + ".access";
  }

  List<AccessEntry> entries(String dataset) {
    List<AccessEntry> out = new ArrayList<>();
    try (Connection c = connections.open(dataset);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT kind, email, role FROM "
                    + table(dataset)
                    + " WHERE dataset = ? AND kind <> '"
                    + AUTHORIZED_DATASET
                    + "' ORDER BY 1, 2, 3")) {
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
    try (Connection c = connections.open(dataset)) {
      c.setAutoCommit(false);
      try (PreparedStatement delete =
              c.prepareStatement(
                  "DELETE FROM "
                      + table(dataset)
                      + " WHERE dataset = ? AND kind = ? AND email = ? AND role = ?");
          PreparedStatement insert =
              c.prepareStatement("INSERT INTO " + table(dataset) + " VALUES (?, ?, ?, ?)")) {
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

  /** The datasets authorized on a dataset's list. */
  List<String> authorized(String dataset) {
    List<String> out = new ArrayList<>();
    try (Connection c = connections.open(dataset);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT email FROM "
                    + table(dataset)
                    + " WHERE dataset = ? AND kind = ? ORDER BY 1")) {
      ps.setString(1, dataset);
      ps.setString(2, AUTHORIZED_DATASET);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw classify("read the authorized datasets of " + dataset, e);
    }
    return out;
  }

  /** One transaction, refused whole when the list would exceed {@link #MAX_AUTHORIZED}. */
  synchronized void changeAuthorized(
      String dataset, Collection<String> authorize, Collection<String> revoke) {
    java.util.Set<String> after = new java.util.TreeSet<>(authorized(dataset));
    after.removeAll(revoke);
    after.addAll(authorize);
    if (after.size() > MAX_AUTHORIZED) {
      throw new WarehouseException(
          WarehouseException.Kind.PERMANENT,
          "the access list of "
              + dataset
              + " would hold "
              + after.size()
              + " authorized resources: at most "
              + MAX_AUTHORIZED
              + " (views, datasets and routines) are allowed");
    }
    try (Connection c = connections.open(dataset)) {
      c.setAutoCommit(false);
      try (PreparedStatement delete =
              c.prepareStatement(
                  "DELETE FROM "
                      + table(dataset)
                      + " WHERE dataset = ? AND kind = ? AND email = ?");
          PreparedStatement insert =
              c.prepareStatement("INSERT INTO " + table(dataset) + " VALUES (?, ?, ?, ?)")) {
        for (String other : revoke) {
          bindAuthorized(delete, dataset, other).executeUpdate();
        }
        for (String other : authorize) {
          bindAuthorized(delete, dataset, other).executeUpdate();
          bindAuthorized(insert, dataset, other).setString(4, VIEWS);
          insert.executeUpdate();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw classify("change the authorized datasets of " + dataset, e);
    }
  }

  private static PreparedStatement bindAuthorized(
      PreparedStatement ps, String dataset, String other) throws SQLException {
    ps.setString(1, dataset);
    ps.setString(2, AUTHORIZED_DATASET);
    ps.setString(3, other);
    return ps;
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
