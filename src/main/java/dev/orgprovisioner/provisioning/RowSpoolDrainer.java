package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.execution.DaemonThreads;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.execution.port.RowSpool;
import dev.orgprovisioner.execution.port.SpooledRow;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves spooled rows to the warehouse: keyed upserts in batches (so a retried write never
 * duplicates), deleting rows from the spool only after their write succeeded. A transient failure
 * or a missing table leaves them for the next run; rows the warehouse refuses are parked and
 * retried rarely, never dropped.
 */
public final class RowSpoolDrainer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RowSpoolDrainer.class.getName());

  /**
   * Tunables.
   *
   * @param batchSize rows read from the spool and written per round
   * @param interval pause between drains
   * @param parkedRetryInterval how often parked rows are tried again
   */
  public record Settings(int batchSize, Duration interval, Duration parkedRetryInterval) {
    public Settings {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1");
      }
    }
  }

  /** What one drain did. */
  public record Result(int written, int parked, boolean complete) {}

  private final RowSpool spool;
  private final Warehouse warehouse;
  private final Metrics metrics;
  private final Clock clock;
  private final Settings settings;
  private final Object lock = new Object();
  private ScheduledExecutorService scheduler;
  private Instant parkedRetriedAt = Instant.MIN;

  public RowSpoolDrainer(
      RowSpool spool, Warehouse warehouse, Metrics metrics, Clock clock, Settings settings) {
    this.spool = spool;
    this.warehouse = warehouse;
    this.metrics = metrics;
    this.clock = clock;
    this.settings = settings;
  }

  /** Drains every {@code interval} on a thread of its own until closed. */
  public synchronized RowSpoolDrainer start() {
    if (scheduler == null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("row-spool"));
      long ms = settings.interval().toMillis();
      scheduler.scheduleWithFixedDelay(this::drainQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /**
   * Writes spooled rows until the spool is empty or a write fails transiently, then reports the
   * backlog. Rows parked earlier are tried again once per {@code parkedRetryInterval}.
   */
  public Result drain() {
    synchronized (lock) {
      int written = 0;
      int parked = 0;
      boolean complete = true;
      Instant now = clock.instant();
      if (!now.isBefore(parkedRetriedAt.plus(settings.parkedRetryInterval()))) {
        parkedRetriedAt = now;
        written += retryParked();
      }
      while (true) {
        List<SpooledRow> page = spool.pending(settings.batchSize(), false);
        if (page.isEmpty()) {
          break;
        }
        Round round = write(page);
        written += round.written;
        parked += round.parked;
        if (round.stalled) {
          complete = false;
          break;
        }
      }
      reportBacklog();
      return new Result(written, parked, complete);
    }
  }

  private void drainQuietly() {
    try {
      drain();
    } catch (RuntimeException e) {
      // The spool itself is unreachable: nothing is lost, the next run tries again.
      LOG.log(Level.WARNING, "Row spool not drained: " + e.getMessage());
    }
  }

  private record Round(int written, int parked, boolean stalled) {}

  private Round write(List<SpooledRow> page) {
    int written = 0;
    int parked = 0;
    boolean stalled = false;
    for (List<SpooledRow> group : byTarget(page).values()) {
      try {
        upsert(group);
        spool.delete(group);
        written += group.size();
      } catch (WarehouseException e) {
        if (delays(e)) {
          LOG.warning(describe(group) + " delayed: " + e.getMessage());
          stalled = true;
          continue;
        }
        // Refused: find the rows at fault one by one, so they cannot hold back the others.
        for (SpooledRow row : group) {
          try {
            upsert(List.of(row));
            spool.delete(List.of(row));
            written++;
          } catch (WarehouseException single) {
            if (delays(single)) {
              stalled = true;
              break;
            }
            spool.park(List.of(row), single.getMessage());
            parked++;
            LOG.severe(
                "Row "
                    + row.id()
                    + " of "
                    + row.dataset()
                    + "."
                    + row.table()
                    + " parked (kept, retried every "
                    + settings.parkedRetryInterval()
                    + "): "
                    + single.getMessage());
          }
        }
      }
    }
    return new Round(written, parked, stalled);
  }

  private int retryParked() {
    int written = 0;
    for (List<SpooledRow> group : byTarget(spool.pending(settings.batchSize(), true)).values()) {
      for (SpooledRow row : group) {
        try {
          upsert(List.of(row));
          spool.delete(List.of(row));
          written++;
        } catch (WarehouseException e) {
          if (delays(e)) {
            return written;
          }
        }
      }
    }
    return written;
  }

  /**
   * Failures that only delay the rows: the warehouse is unavailable, or the table does not exist
   * yet (the central dataset is bootstrapped by the first job, after that job's first audit rows).
   */
  private static boolean delays(WarehouseException e) {
    return e.isTransient() || e.kind() == WarehouseException.Kind.NOT_FOUND;
  }

  private void upsert(List<SpooledRow> rows) {
    SpooledRow first = rows.get(0);
    warehouse.upsertRows(
        first.dataset(),
        first.table(),
        List.of(first.keyColumn()),
        rows.stream().map(SpooledRow::values).toList());
  }

  private static Map<String, List<SpooledRow>> byTarget(List<SpooledRow> rows) {
    Map<String, List<SpooledRow>> out = new LinkedHashMap<>();
    for (SpooledRow r : rows) {
      out.computeIfAbsent(
              r.dataset() + "." + r.table() + "." + r.keyColumn(), k -> new ArrayList<>())
          .add(r);
    }
    return out;
  }

  private static String describe(List<SpooledRow> group) {
    SpooledRow first = group.get(0);
    return group.size() + " row(s) of " + first.dataset() + "." + first.table();
  }

  private void reportBacklog() {
    try {
      metrics.auditBacklog(spool.count());
    } catch (RuntimeException e) {
      LOG.fine("Spool backlog not counted: " + e.getMessage());
    }
  }

  /** Stops the schedule and makes one last attempt to drain. */
  @Override
  public void close() {
    synchronized (this) {
      if (scheduler != null) {
        scheduler.shutdownNow();
        try {
          scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    drainQuietly();
  }
}
