package dev.orgprovisioner.warehouse.duckdb;

import static dev.orgprovisioner.warehouse.duckdb.DuckDbTypes.quote;

import dev.orgprovisioner.warehouse.Identifiers;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What the DuckDB adapter's parts share: connections, qualified names, error classification. */
final class DuckDbSql {

  private DuckDbSql() {}

  /**
   * A fresh connection per call (DuckDB connections are not thread-safe) with the named datasets'
   * databases attached until it is closed.
   */
  @FunctionalInterface
  interface Connections {
    /** Attaches those of {@code datasets} that exist, and makes those of {@code creating}. */
    Connection open(Collection<String> datasets, Collection<String> creating) throws SQLException;

    default Connection open(String dataset) throws SQLException {
      return open(List.of(dataset), List.of());
    }

    /**
     * Runs {@code work} with {@code datasets} attached. A view or statement may read a dataset not
     * among them (an org's views read central tables): when DuckDB reports one missing and {@code
     * mayAttach} allows it (given those held so far), it is attached and the work run again.
     */
    default <T> T attachingMissing(
        Collection<String> datasets, BiPredicate<List<String>, String> mayAttach, Work<T> work)
        throws SQLException {
      List<String> held = new ArrayList<>(datasets);
      while (true) {
        try (Connection c = open(held, List.of())) {
          return work.run(c, List.copyOf(held));
        } catch (SQLException e) {
          Optional<String> other = missingDataset(e);
          if (other.isEmpty() || held.contains(other.get()) || !mayAttach.test(held, other.get())) {
            throw e;
          }
          held.add(other.get());
        }
      }
    }
  }

  /** Work on a connection with {@code held} datasets attached. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c, List<String> held) throws SQLException;
  }

  static String qualified(String dataset, String name) {
    return quote(Identifiers.dataset(dataset)) + "." + quote(Identifiers.name(name));
  }

  /** {@code "a" = ? AND "b" = ?}: one placeholder per column, bound in the columns' order. */
  static String equalToPlaceholders(List<String> columns) {
    return columns.stream()
        .map(k -> quote(Identifiers.name(k)) + " = ?")
        .collect(Collectors.joining(" AND "));
  }

  // How DuckDB names a catalog (here: a dataset) it has not attached.
  private static final Pattern MISSING =
      Pattern.compile(
          "(?:Catalog|[Ss]chema)(?: with name)? \"?([A-Za-z0-9_]{1,1024})\"? does not exist");

  /** The dataset DuckDB reported missing, when that is what failed. */
  static Optional<String> missingDataset(SQLException e) {
    Matcher m = MISSING.matcher(String.valueOf(e.getMessage()));
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  static WarehouseException classify(String what, SQLException e) {
    String msg = String.valueOf(e.getMessage());
    Kind kind;
    // A dataset that is not there is a database DuckDB has not attached: "Catalog "x" does not
    // exist", reported by its binder.
    if ((msg.contains("Catalog Error") || msg.contains("Binder Error: Catalog"))
        && msg.contains("does not exist")) {
      kind = Kind.NOT_FOUND;
    } else if (msg.contains("Transaction conflict") || msg.contains("TransactionContext Error")) {
      kind = Kind.TRANSIENT;
    } else {
      kind = Kind.PERMANENT;
    }
    return new WarehouseException(kind, what + " failed: " + msg, e);
  }
}
