package dev.orgprovisioner.warehouse.duckdb;

import static dev.orgprovisioner.warehouse.duckdb.DuckDbSql.classify;

import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import dev.orgprovisioner.warehouse.duckdb.DuckDbMetadata.MetaRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/** The embedded warehouse: a DuckDB schema per dataset, what DuckDB lacks in a metadata table. */
public final class DuckDbWarehouse implements Warehouse, AutoCloseable {

  private final DuckDBConnection root;
  private final DuckDbSnapshot snapshots;
  private final DuckDbPlanSteps steps;
  private final DuckDbTableRows rows;

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
      DuckDbMetadata.createIfAbsent(root);
      DuckDbMetadata.refreshViewEchoes(root);
    } catch (SQLException e) {
      throw new WarehouseException(Kind.PERMANENT, "cannot open DuckDB at " + url, e);
    }
    this.snapshots = new DuckDbSnapshot(this::connection);
    this.steps = new DuckDbPlanSteps(this::connection);
    this.rows = new DuckDbTableRows(this::connection);
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
    return Optional.ofNullable(snapshots.snapshot(List.of(dataset)).get(dataset));
  }

  /** The schema alone: a snapshot reads every table of the database (cost grows with the fleet). */
  @Override
  public boolean datasetExists(String dataset) {
    return snapshots.exists(dataset);
  }

  @Override
  public Map<String, ObservedDataset> bulkSnapshot(Collection<String> datasets) {
    return snapshots.snapshot(datasets);
  }

  @Override
  public List<String> managedDatasets() {
    return snapshots.managedDatasets();
  }

  @Override
  public void apply(PlanStep step) {
    steps.apply(step);
  }

  @Override
  public void insertRows(String dataset, String table, List<Map<String, Object>> rows) {
    this.rows.insertRows(dataset, table, rows);
  }

  @Override
  public void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {
    this.rows.upsertRows(dataset, table, keyColumns, rows);
  }

  @Override
  public List<Map<String, Object>> selectRows(
      String dataset, String table, Map<String, Object> equalTo, int limit) {
    return rows.selectRows(dataset, table, equalTo, limit);
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
      return Optional.ofNullable(DuckDbMetadata.read(c, dataset, name));
    } catch (SQLException e) {
      throw classify("read metadata", e);
    }
  }

  private Connection connection() throws SQLException {
    // One DuckDB database, one connection per call: DuckDB connections are not thread-safe.
    return root.duplicate();
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
