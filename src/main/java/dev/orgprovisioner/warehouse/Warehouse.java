package dev.orgprovisioner.warehouse;

import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.PlanStep;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The port to the analytical warehouse (BigQuery in production, DuckDB locally and in tests):
 * metadata snapshots, idempotent plan steps, and row writes. Implementations throw {@link
 * WarehouseException} with a classified kind.
 *
 * <p>Two metadata reads: {@link #freshSnapshot} shows one dataset as it is now and is what a
 * decision to change it rests on; {@link #bulkSnapshot} reads many datasets in one pass and may lag
 * changes made a moment ago (BigQuery's INFORMATION_SCHEMA). For one dataset with nothing changing,
 * both give equal snapshots.
 */
public interface Warehouse {

  /** The SQL dialect view templates are rendered in. */
  Dialect dialect();

  /**
   * The SQL text this warehouse creates the view with: its template rendered for the engine, with
   * the engine's qualified table names. The planner compares it with the SQL a snapshot reads.
   */
  String viewSql(PlanStep.CreateOrReplaceView view);

  /**
   * The current metadata of one dataset, read from the warehouse's own objects (never from a
   * lagging metadata index), or empty if it does not exist.
   */
  Optional<ObservedDataset> freshSnapshot(String dataset);

  /**
   * Whether the dataset exists now, as {@link #freshSnapshot} would tell; an engine answers it
   * without reading the dataset's objects where it can.
   */
  default boolean datasetExists(String dataset) {
    return freshSnapshot(dataset).isPresent();
  }

  /**
   * The metadata of many datasets in one pass, which may not yet show changes made a moment ago;
   * absent datasets are missing from the map.
   */
  Map<String, ObservedDataset> bulkSnapshot(Collection<String> datasets);

  /** Datasets carrying the label managed-by=org-provisioner. */
  List<String> managedDatasets();

  /** Applies one plan step. Every step is idempotent: applying it again changes nothing. */
  void apply(PlanStep step);

  /**
   * Whether {@link #applyAll} applies steps in one transaction, all or none: an embedded database
   * can (and gains from one commit and one metadata write for a whole plan); BigQuery's DDL cannot,
   * so its steps run side by side instead.
   */
  default boolean transactionalDdl() {
    return false;
  }

  /**
   * Applies steps in their order; where {@link #transactionalDdl()}, in one transaction. A
   * decorator that does not forward it applies the steps one by one through its own {@link #apply}.
   */
  default void applyAll(List<PlanStep> steps) {
    steps.forEach(this::apply);
  }

  /**
   * Deletes a dataset with everything in it; nothing happens when it does not exist. Only
   * offboarding calls it, after checking the dataset's label: plan steps never delete.
   */
  void deleteDataset(String dataset);

  /**
   * Brings back the most recently deleted dataset of this name with its tables, views and rows
   * (BigQuery: {@code datasets.undelete} within the dataset's time travel window). Throws NOT_FOUND
   * when nothing deleted under that name can be brought back, CONFLICT when a dataset of that name
   * exists.
   */
  void undeleteDataset(String dataset);

  /**
   * The users, groups and service accounts on a dataset's access list, with their roles (entries of
   * other kinds are left out). Throws NOT_FOUND for a dataset that does not exist.
   */
  List<AccessEntry> accessEntries(String dataset);

  /**
   * Adds {@code grant} to a dataset's access list and removes {@code revoke} from it, keeping every
   * other entry as it is (a read-modify-write guarded against concurrent changes: never a blind
   * overwrite of the list). Entries already there, or already gone, change nothing.
   */
  void changeAccess(String dataset, Collection<AccessEntry> grant, Collection<AccessEntry> revoke);

  /**
   * The datasets authorized on a dataset's access list: every view in them may read the dataset
   * without its readers having access to it. Throws NOT_FOUND for a dataset that does not exist.
   */
  List<String> authorizedDatasets(String dataset);

  /**
   * Authorizes the datasets {@code authorize} on a dataset's access list and removes {@code revoke}
   * from it, keeping every other entry (merged like {@link #changeAccess}). A list would hold more
   * than BigQuery's 2,500 authorized resources: PERMANENT, naming the limit.
   */
  void changeAuthorizedDatasets(
      String dataset, Collection<String> authorize, Collection<String> revoke);

  /** Appends rows (audit trails). Values: String, Number, Boolean, java.time types. */
  void insertRows(String dataset, String table, List<Map<String, Object>> rows);

  /**
   * Writes rows keyed by {@code keyColumns}: a row whose key exists gets the columns the row names
   * (the others keep their values, e.g. ones the frontend set); a new key is inserted. Retrying a
   * write never duplicates; of rows repeating a key, the last wins.
   */
  void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows);

  /** Keyed rows of one table, as {@link #upsertRows} takes them. */
  record TableRows(String table, List<String> keyColumns, List<Map<String, Object>> rows) {}

  /**
   * Upserts into several tables of one dataset, table after table; where {@link
   * #transactionalDdl()} (an embedded database) in one transaction. A decorator that does not
   * forward it writes through its own {@link #upsertRows}.
   */
  default void upsertAll(String dataset, List<TableRows> tables) {
    tables.forEach(t -> upsertRows(dataset, t.table(), t.keyColumns(), t.rows()));
  }

  /** Rows whose columns equal the given values, at most {@code limit}. */
  List<Map<String, Object>> selectRows(
      String dataset, String table, Map<String, Object> equalTo, int limit);
}
