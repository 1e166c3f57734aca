package dev.orgprovisioner.warehouse.duckdb;

import static dev.orgprovisioner.warehouse.duckdb.DuckDbSql.classify;

import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import dev.orgprovisioner.warehouse.duckdb.DuckDbMetadata.MetaRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/**
 * The embedded warehouse: a DuckDB database per dataset (a file in one folder), what DuckDB lacks
 * in metadata tables beside each dataset's tables.
 */
public final class DuckDbWarehouse implements Warehouse, AutoCloseable {

  /** Idle datasets kept attached when nothing says otherwise. */
  public static final int DEFAULT_ATTACHED_DATASETS = 16;

  private final DuckDBConnection root;
  private final DuckDbDatasets datasets;
  private final DuckDbSnapshot snapshots;
  private final DuckDbPlanSteps steps;
  private final DuckDbTableRows rows;
  private final DuckDbTrash trash;
  private final DuckDbAccess access;
  private final Set<String> echoesTaken = ConcurrentHashMap.newKeySet();

  // A size as DuckDB reads it; checked because it is put into a SET statement.
  private static final java.util.regex.Pattern MEMORY =
      java.util.regex.Pattern.compile(
          "^[0-9]{1,9}(\\.[0-9]{1,3})?\\s?(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$");

  /** Opens (or creates) a warehouse with DuckDB's default memory limit (tests, tools). */
  public DuckDbWarehouse(String path) {
    this(path, null, null, DEFAULT_ATTACHED_DATASETS);
  }

  /**
   * Opens (or creates) a warehouse; {@code path} empty or {@code :memory:} means in memory.
   *
   * @param path the folder of the datasets' files, made when missing
   * @param memoryLimit DuckDB's memory_limit, e.g. 512MB; null keeps DuckDB's default
   * @param checkpointThreshold DuckDB's checkpoint_threshold, the write-ahead log's size at which
   *     it is folded into its file, e.g. 256MB; null keeps DuckDB's default (16MB)
   * @param attachedDatasets how many idle datasets stay attached (each costs its catalog in
   *     memory); datasets in use always are
   */
  public DuckDbWarehouse(
      String path, String memoryLimit, String checkpointThreshold, int attachedDatasets) {
    requireSize("warehouse.duckdb.memory-limit", memoryLimit);
    requireSize("warehouse.duckdb.checkpoint-threshold", checkpointThreshold);
    if (attachedDatasets < 1) {
      throw new IllegalArgumentException(
          "warehouse.duckdb.attached-datasets must be at least 1, was " + attachedDatasets);
    }
    Path folder = path == null || path.isBlank() || path.equals(":memory:") ? null : folder(path);
    try {
      // The driver directly, not DriverManager: under Quarkus' test class loaders DriverManager
      // may not see a driver registered by another loader.
      root = (DuckDBConnection) new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
      set(root, "memory_limit", memoryLimit);
      set(root, "checkpoint_threshold", checkpointThreshold);
    } catch (SQLException e) {
      throw new WarehouseException(Kind.PERMANENT, "cannot start DuckDB", e);
    }
    this.datasets =
        new DuckDbDatasets(
            root,
            folder,
            attachedDatasets,
            this::prepareDataset,
            DuckDbMetadata::forgetUntouchedViewEchoes);
    this.snapshots = new DuckDbSnapshot(datasets, datasets::stored);
    this.steps = new DuckDbPlanSteps(datasets);
    this.rows = new DuckDbTableRows(datasets);
    this.trash = new DuckDbTrash(datasets);
    this.access = new DuckDbAccess(datasets);
  }

  /** The folder of the datasets' files; a single file of the layout before it is refused. */
  private static Path folder(String path) {
    Path folder = Path.of(path);
    if (Files.isRegularFile(folder)) {
      throw new WarehouseException(
          Kind.PERMANENT,
          "warehouse.duckdb.path "
              + path
              + " is a file: the embedded warehouse keeps a DuckDB file per dataset in a folder"
              + " now. Point the setting at a folder; the file was left as it is.");
    }
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new WarehouseException(Kind.PERMANENT, "cannot create the folder " + path, e);
    }
    return folder;
  }

  /**
   * Runs on each dataset's database as it is attached. Echoes are taken again only the first time
   * in this process (see {@link DuckDbMetadata#refreshViewEchoes}): a view replaced by hand while
   * the dataset was attached must still differ from its echo when it is attached again.
   */
  private void prepareDataset(Connection c, String dataset) throws SQLException {
    DuckDbMetadata.createIfAbsent(c, dataset);
    DuckDbAccess.createIfAbsent(c, dataset);
    if (echoesTaken.add(dataset)) {
      DuckDbMetadata.refreshViewEchoes(c, dataset);
    }
  }

  private static void requireSize(String setting, String size) {
    if (size != null && !MEMORY.matcher(size.trim()).matches()) {
      throw new IllegalArgumentException(
          setting + " must be a size such as 512MB or 2GB, was " + size);
    }
  }

  private static void set(Connection c, String option, String size) throws SQLException {
    if (size == null) {
      return;
    }
    try (Statement st = c.createStatement()) {
      st.execute("SET " + option + " = '" + size.trim() + "'");
    }
  }

  @Override
  public Dialect dialect() {
    return Dialect.DUCKDB;
  }

  /** DuckDB's catalog is transactional: the one-dataset read is the bulk read of one. */
  @Override
  public String viewSql(PlanStep.CreateOrReplaceView view) {
    return DuckDbPlanSteps.viewSql(view);
  }

  /**
   * The DDL a creating plan step runs here, without the metadata this warehouse keeps beside it:
   * what the raw-DDL baseline of the onboarding benchmark executes.
   */
  public static List<String> ddl(PlanStep step) {
    return DuckDbPlanSteps.ddl(step);
  }

  /** The SQL of a view step, as {@link #viewSql} renders it, for a planner without a warehouse. */
  public static String renderView(PlanStep.CreateOrReplaceView view) {
    return DuckDbPlanSteps.viewSql(view);
  }

  @Override
  public Optional<ObservedDataset> freshSnapshot(String dataset) {
    if (trash.isDeleted(dataset)) {
      return Optional.empty();
    }
    return Optional.ofNullable(snapshots.snapshot(List.of(dataset)).get(dataset));
  }

  @Override
  public boolean datasetExists(String dataset) {
    return !trash.isDeleted(dataset) && snapshots.exists(dataset);
  }

  @Override
  public Map<String, ObservedDataset> bulkSnapshot(Collection<String> datasets) {
    return snapshots.snapshot(datasets.stream().filter(d -> !trash.isDeleted(d)).toList());
  }

  @Override
  public List<String> managedDatasets() {
    return snapshots.managedDatasets(
        datasets.all().stream().filter(d -> !trash.isDeleted(d)).toList());
  }

  @Override
  public void apply(PlanStep step) {
    admit(step);
    steps.apply(step);
  }

  /** DuckDB's DDL is transactional: a plan's steps commit together or not at all. */
  @Override
  public boolean transactionalDdl() {
    return true;
  }

  @Override
  public void applyAll(List<PlanStep> plan) {
    plan.forEach(this::admit);
    steps.applyAll(plan);
  }

  private void admit(PlanStep step) {
    if (step instanceof PlanStep.CreateDataset) {
      // A new dataset of a deleted one's name ends the deleted one's time travel, as in BigQuery.
      if (trash.isDeleted(step.dataset())) {
        trash.purge(step.dataset());
      }
    } else {
      requireNotDeleted(step.dataset());
    }
  }

  @Override
  public void deleteDataset(String dataset) {
    trash.delete(dataset, snapshots.exists(dataset));
  }

  @Override
  public void undeleteDataset(String dataset) {
    if (trash.undelete(dataset)) {
      return;
    }
    if (datasetExists(dataset)) {
      throw new WarehouseException(
          Kind.CONFLICT, "dataset " + dataset + " exists: there is nothing to undelete");
    }
    throw new WarehouseException(
        Kind.NOT_FOUND, "no deleted dataset " + dataset + " is kept: it cannot be undeleted");
  }

  @Override
  public List<AccessEntry> accessEntries(String dataset) {
    requireExists(dataset);
    return access.entries(dataset);
  }

  @Override
  public void changeAccess(
      String dataset, Collection<AccessEntry> grant, Collection<AccessEntry> revoke) {
    requireExists(dataset);
    access.change(dataset, grant, revoke);
  }

  @Override
  public List<String> authorizedDatasets(String dataset) {
    requireExists(dataset);
    return access.authorized(dataset);
  }

  @Override
  public void changeAuthorizedDatasets(
      String dataset, Collection<String> authorize, Collection<String> revoke) {
    requireExists(dataset);
    access.changeAuthorized(dataset, authorize, revoke);
  }

  private void requireExists(String dataset) {
    if (!datasetExists(dataset)) {
      throw new WarehouseException(Kind.NOT_FOUND, "dataset " + dataset + " does not exist");
    }
  }

  @Override
  public void insertRows(String dataset, String table, List<Map<String, Object>> rows) {
    requireNotDeleted(dataset);
    this.rows.insertRows(dataset, table, rows);
  }

  @Override
  public void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {
    requireNotDeleted(dataset);
    this.rows.upsertRows(dataset, table, keyColumns, rows);
  }

  /** One transaction for every table's rows (DuckDB's writes are transactional). */
  @Override
  public void upsertAll(String dataset, List<TableRows> tables) {
    requireNotDeleted(dataset);
    this.rows.upsertAll(dataset, tables);
  }

  @Override
  public List<Map<String, Object>> selectRows(
      String dataset, String table, Map<String, Object> equalTo, int limit) {
    requireNotDeleted(dataset);
    return rows.selectRows(dataset, table, equalTo, limit);
  }

  private void requireNotDeleted(String dataset) {
    if (trash.isDeleted(dataset)) {
      throw new WarehouseException(Kind.NOT_FOUND, "dataset " + dataset + " was deleted");
    }
  }

  /**
   * Runs raw SQL with its datasets attached under their names (tables as {@code dataset.table}): a
   * dataset DuckDB reports missing is attached and the statement run again. For tests and the drift
   * simulator, never for message content.
   */
  public void execute(String sql) {
    try {
      datasets.attachingMissing(
          datasets.attachedNames(),
          (held, other) -> datasets.stored(other),
          (c, held) -> {
            // Views created since the last pin have no echo: record it before the statement may
            // change it.
            for (String ds : held) {
              DuckDbMetadata.recordMissingViewEchoes(c, ds);
            }
            try (Statement st = c.createStatement()) {
              st.execute(sql);
            }
            return null;
          });
    } catch (SQLException e) {
      throw classify("statement", e);
    }
  }

  /**
   * Drops a dataset as someone outside the worker would, its database gone without a trace; for
   * tests and the drift simulator.
   */
  public void dropByHand(String dataset) {
    datasets.drop(dataset);
  }

  /** How many datasets' databases are attached now (for tests of the bound). */
  int attachedDatasets() {
    return datasets.attachedNames().size();
  }

  /** Reads the stored metadata of a dataset (for diagnostics). */
  Optional<MetaRow> metadata(String dataset, String name) {
    try (Connection c = datasets.open(dataset)) {
      return Optional.ofNullable(DuckDbMetadata.read(c, dataset, name));
    } catch (SQLException e) {
      throw classify("read metadata", e);
    }
  }

  @Override
  public void close() {
    try {
      datasets.closeAll();
      root.close();
    } catch (SQLException e) {
      throw classify("close", e);
    }
  }
}
