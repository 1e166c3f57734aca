package dev.orgprovisioner.warehouse.duckdb;

import static dev.orgprovisioner.warehouse.duckdb.DuckDbTypes.quote;

import dev.orgprovisioner.warehouse.Identifiers;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;

/**
 * Where datasets live: each in a DuckDB database of its own (a file in the warehouse's folder, or
 * in memory), attached under the dataset's name while in use. DuckDB holds the whole catalog of
 * every attached database in memory, about 1 MiB per org dataset, so at most {@code maxAttached}
 * idle ones stay attached and memory no longer grows with the fleet.
 */
final class DuckDbDatasets implements DuckDbSql.Connections {

  static final String SUFFIX = ".duckdb";
  static final String DELETED_FOLDER = ".deleted";
  private static final java.util.regex.Pattern DATASET_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9_]{1,1024}");

  /** Runs on a dataset's database as it is attached, or before it is detached. */
  interface Hook {
    void run(Connection c, String dataset) throws SQLException;
  }

  private final DuckDBConnection root;
  private final Path folder;
  private final int maxAttached;
  private final Hook onAttach;
  private final Hook beforeDetach;
  // Attached datasets in least recently used order, with the number of connections using each.
  private final LinkedHashMap<String, Integer> attached = new LinkedHashMap<>(16, 0.75f, true);
  // In memory, a detached database is gone: these are every dataset there is.
  private final Set<String> memoryDatasets = new LinkedHashSet<>();

  /**
   * @param folder the folder of the datasets' files; null keeps them in memory (never detached)
   */
  DuckDbDatasets(
      DuckDBConnection root, Path folder, int maxAttached, Hook onAttach, Hook beforeDetach) {
    this.root = root;
    this.folder = folder;
    this.maxAttached = maxAttached;
    this.onAttach = onAttach;
    this.beforeDetach = beforeDetach;
  }

  boolean inMemory() {
    return folder == null;
  }

  /**
   * A connection with {@code datasets} attached (those that exist, and those of {@code creating},
   * made when missing); closing it lets them be detached again.
   */
  @Override
  public Connection open(Collection<String> datasets, Collection<String> creating)
      throws SQLException {
    List<String> held = new ArrayList<>();
    try {
      for (String ds : new LinkedHashSet<>(datasets)) {
        if (hold(ds, creating.contains(ds))) {
          held.add(ds);
        }
      }
      return leased(root.duplicate(), held);
    } catch (SQLException | RuntimeException e) {
      release(held);
      throw e;
    }
  }

  /** Whether a database of this name exists (it may hold no dataset yet, see the metadata). */
  synchronized boolean stored(String dataset) {
    String ds = Identifiers.dataset(dataset);
    return inMemory() ? memoryDatasets.contains(ds) : Files.isRegularFile(file(ds));
  }

  /** Every stored dataset's name, sorted. */
  synchronized List<String> all() {
    if (inMemory()) {
      return memoryDatasets.stream().sorted().toList();
    }
    return datasetsIn(folder);
  }

  /** The datasets whose files are in {@code dir}, sorted. */
  private static List<String> datasetsIn(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(SUFFIX))
          .map(n -> n.substring(0, n.length() - SUFFIX.length()))
          .filter(n -> DATASET_NAME.matcher(n).matches())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new WarehouseException(Kind.TRANSIENT, "cannot list the datasets in " + dir, e);
    }
  }

  /** Moves a dataset's database aside (time travel); in memory it stays attached, hidden. */
  synchronized void moveAside(String dataset) {
    String ds = Identifiers.dataset(dataset);
    if (inMemory()) {
      return;
    }
    requireIdle(ds, "delete");
    detach(ds);
    move(file(ds), aside(ds), "delete");
  }

  /** Brings a dataset's database back from aside. */
  synchronized void bringBack(String dataset) {
    String ds = Identifiers.dataset(dataset);
    if (!inMemory()) {
      move(aside(ds), file(ds), "undelete");
    }
  }

  /** Drops a dataset's database for good, whether aside or not. */
  synchronized void drop(String dataset) {
    String ds = Identifiers.dataset(dataset);
    requireIdle(ds, "purge");
    forget(ds);
    memoryDatasets.remove(ds);
    if (!inMemory()) {
      try {
        Files.deleteIfExists(aside(ds));
        Files.deleteIfExists(Path.of(aside(ds) + ".wal"));
        Files.deleteIfExists(file(ds));
        Files.deleteIfExists(Path.of(file(ds) + ".wal"));
      } catch (IOException e) {
        throw new WarehouseException(Kind.TRANSIENT, "cannot remove dataset " + ds, e);
      }
    }
  }

  /** The names of the datasets moved aside by an earlier process. */
  List<String> asideOnDisk() {
    Path deleted = inMemory() ? null : folder.resolve(DELETED_FOLDER);
    if (deleted == null || !Files.isDirectory(deleted)) {
      return List.of();
    }
    return datasetsIn(deleted);
  }

  private synchronized boolean hold(String dataset, boolean create) throws SQLException {
    String ds = Identifiers.dataset(dataset);
    Integer users = attached.get(ds);
    if (users == null) {
      if (!create && !stored(ds)) {
        return false;
      }
      attach(ds);
      users = attached.get(ds);
    }
    attached.put(ds, users + 1);
    return true;
  }

  private synchronized void release(List<String> datasets) {
    for (String ds : datasets) {
      attached.computeIfPresent(ds, (k, n) -> n - 1);
    }
    evict();
  }

  private void attach(String ds) throws SQLException {
    String where = inMemory() ? ":memory:" : file(ds).toString().replace("'", "''");
    try (Statement st = root.createStatement()) {
      st.execute("ATTACH '" + where + "' AS " + quote(ds));
    }
    attached.put(ds, 0);
    try (Connection c = root.duplicate()) {
      onAttach.run(c, ds);
    } catch (SQLException e) {
      forget(ds);
      throw e;
    }
    if (inMemory()) {
      memoryDatasets.add(ds);
    }
  }

  private void evict() {
    if (inMemory()) {
      return;
    }
    List<String> idle = new ArrayList<>();
    int over = attached.size() - maxAttached;
    for (Map.Entry<String, Integer> e : attached.entrySet()) {
      if (over - idle.size() <= 0) {
        break;
      }
      if (e.getValue() == 0) {
        idle.add(e.getKey());
      }
    }
    idle.forEach(this::detach);
  }

  private void detach(String ds) {
    if (!attached.containsKey(ds)) {
      return;
    }
    try (Connection c = root.duplicate()) {
      beforeDetach.run(c, ds);
    } catch (SQLException e) {
      throw DuckDbSql.classify("detach dataset " + ds, e);
    }
    forget(ds);
  }

  /** Detaches without the hook: the dataset's database is about to be removed. */
  private void forget(String ds) {
    if (attached.remove(ds) == null) {
      return;
    }
    try (Statement st = root.createStatement()) {
      st.execute("DETACH " + quote(ds));
    } catch (SQLException e) {
      throw DuckDbSql.classify("detach dataset " + ds, e);
    }
  }

  private void requireIdle(String ds, String what) {
    Integer users = attached.get(ds);
    if (users != null && users > 0) {
      throw new WarehouseException(
          Kind.TRANSIENT, "cannot " + what + " dataset " + ds + ": it is in use, try again");
    }
  }

  private Path file(String ds) {
    return folder.resolve(ds + SUFFIX);
  }

  private Path aside(String ds) {
    return folder.resolve(DELETED_FOLDER).resolve(ds + SUFFIX);
  }

  private static void move(Path from, Path to, String what) {
    try {
      Files.createDirectories(to.getParent());
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      Path wal = Path.of(from + ".wal");
      if (Files.exists(wal)) {
        Files.move(wal, Path.of(to + ".wal"), StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new WarehouseException(Kind.TRANSIENT, "cannot " + what + " " + from, e);
    }
  }

  /** The datasets attached now, in use or idle. */
  synchronized List<String> attachedNames() {
    return List.copyOf(attached.keySet());
  }

  /** Detaches every dataset (DuckDB folds each write-ahead log into its file). */
  synchronized void closeAll() {
    new ArrayList<>(attached.keySet()).forEach(this::detach);
  }

  private Connection leased(Connection c, List<String> held) {
    AtomicBoolean closed = new AtomicBoolean();
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close") && closed.compareAndSet(false, true)) {
                try {
                  c.close();
                } finally {
                  release(held);
                }
                return null;
              }
              try {
                return method.invoke(c, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
