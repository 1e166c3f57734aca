package dev.orgprovisioner.execution.port;

import java.util.Collection;
import java.util.List;

/**
 * Port: a durable queue of rows on their way to the warehouse (audit trail, notification history),
 * so a warehouse outage or a crash delays them but never loses them. Rows are keyed by {@link
 * SpooledRow#spoolKey()}: appending a row again replaces it, never duplicates it.
 *
 * <p>Every call throws {@link LedgerUnavailableException} when the store cannot be reached in time
 * (retry later) and {@link LedgerRejectedException} when it refuses the call.
 */
public interface RowSpool {

  /** Stores the rows; returns only once they are durable. */
  void append(List<SpooledRow> rows);

  /** Up to {@code limit} rows waiting to be written: parked ones (failed permanently) or not. */
  List<SpooledRow> pending(int limit, boolean parked);

  /** Marks rows as parked: their write failed permanently, so they are retried only rarely. */
  void park(Collection<SpooledRow> rows, String reason);

  /** Removes rows once they are written to the warehouse. */
  void delete(Collection<SpooledRow> rows);

  /** Rows waiting, parked or not. */
  long count();
}
