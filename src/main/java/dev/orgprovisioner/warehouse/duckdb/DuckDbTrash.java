package dev.orgprovisioner.warehouse.duckdb;

import java.util.HashSet;
import java.util.Set;

/**
 * Deleted datasets kept aside, as BigQuery's time travel keeps them: a deleted dataset's file is
 * moved to the warehouse's {@code .deleted} folder (in memory: its database stays, hidden), until
 * it is undeleted or a dataset of its name is created again (which purges it).
 */
final class DuckDbTrash {

  private final DuckDbDatasets datasets;
  // The worker is the folder's only writer (DuckDB locks each file), so the set mirrors it.
  private final Set<String> deleted;

  DuckDbTrash(DuckDbDatasets datasets) {
    this.datasets = datasets;
    this.deleted = new HashSet<>(datasets.asideOnDisk());
  }

  synchronized boolean isDeleted(String dataset) {
    return deleted.contains(dataset);
  }

  /** Moves a dataset that exists aside; false when there was none (or it was aside already). */
  synchronized boolean delete(String dataset, boolean exists) {
    if (!exists || deleted.contains(dataset)) {
      return false;
    }
    datasets.moveAside(dataset);
    deleted.add(dataset);
    return true;
  }

  /** Brings a deleted dataset back; false when none of that name is kept. */
  synchronized boolean undelete(String dataset) {
    if (!deleted.contains(dataset)) {
      return false;
    }
    datasets.bringBack(dataset);
    deleted.remove(dataset);
    return true;
  }

  /** Drops a deleted dataset for good, with its stored metadata and access list. */
  synchronized void purge(String dataset) {
    if (!deleted.contains(dataset)) {
      return;
    }
    datasets.drop(dataset);
    deleted.remove(dataset);
  }
}
