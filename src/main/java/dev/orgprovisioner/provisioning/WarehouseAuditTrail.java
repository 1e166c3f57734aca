package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.InMemoryRowSpool;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobAudit;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.port.AuditTrail;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.execution.port.RowSpool;
import dev.orgprovisioner.execution.port.SpooledRow;
import dev.orgprovisioner.warehouse.Warehouse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns audit facts into rows of the central dataset's audit tables ({@code
 * org_meta_pipeline_runs}, {@code org_meta_step_logs}, {@code org_meta_state_transitions}, and
 * mirrors of the idempotency key and queue rows) and appends them to the durable {@link RowSpool};
 * a {@link RowSpoolDrainer} writes them to the warehouse. Every row's id is derived from the fact
 * ({@link JobAudit#id()}), so recording a fact again never duplicates it.
 */
public final class WarehouseAuditTrail implements AuditTrail, AutoCloseable {

  static final String RUNS = "org_meta_pipeline_runs";
  static final String STEPS = "org_meta_step_logs";
  static final String TRANSITIONS = "org_meta_state_transitions";
  static final String KEYS = "org_idempotency_keys";
  static final String QUEUE = "org_pipeline_execution_queue";

  /** The id column of the tables that had none of their own (added to the catalog for this). */
  static final String ROW_ID = "row_id";

  private final RowSpool spool;
  private final String centralDataset;
  private final Clock clock;
  private final RowSpoolDrainer ownDrainer;

  /** Appends to {@code spool}; a drainer elsewhere writes the rows to the warehouse. */
  public WarehouseAuditTrail(RowSpool spool, String centralDataset, Clock clock) {
    this(spool, centralDataset, clock, null);
  }

  /**
   * For tests and tools without a ledger: an in-memory spool drained into {@code warehouse} every
   * {@code interval} (and by {@link #flush()}); rows are lost if the JVM dies before a drain.
   */
  public WarehouseAuditTrail(
      Warehouse warehouse, String centralDataset, Clock clock, int batchSize, Duration interval) {
    this(new InMemoryRowSpool(), centralDataset, clock, warehouse, batchSize, interval);
  }

  private WarehouseAuditTrail(
      RowSpool spool,
      String centralDataset,
      Clock clock,
      Warehouse warehouse,
      int batchSize,
      Duration interval) {
    this(
        spool,
        centralDataset,
        clock,
        new RowSpoolDrainer(
                spool,
                warehouse,
                Metrics.NONE,
                clock,
                new RowSpoolDrainer.Settings(batchSize, interval, interval))
            .start());
  }

  private WarehouseAuditTrail(
      RowSpool spool, String centralDataset, Clock clock, RowSpoolDrainer ownDrainer) {
    this.spool = spool;
    this.centralDataset = centralDataset;
    this.clock = clock;
    this.ownDrainer = ownDrainer;
  }

  /**
   * Appends the fact's rows to the spool and returns once they are durable.
   *
   * @throws dev.orgprovisioner.execution.port.LedgerUnavailableException the spool cannot be
   *     reached: the fact is not recorded, and the caller must not go on as if it were
   */
  @Override
  public void record(JobAudit audit) {
    Job job = audit.job();
    String org = job.orgSlug() != null ? job.orgSlug() : job.lockKey();
    var now = clock.instant();
    String id = audit.id();
    List<SpooledRow> rows = new ArrayList<>();
    switch (audit.kind()) {
      case STEP -> {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step_logging_id", id);
        row.put("org_slug", org);
        row.put("pipeline_logging_id", job.id());
        row.put("step_name", audit.step());
        row.put("step_type", "provisioning");
        row.put("step_index", (long) audit.stepIndex());
        row.put("status", "SUCCEEDED");
        row.put("start_time", audit.start());
        row.put("end_time", audit.end());
        row.put("duration_ms", Duration.between(audit.start(), audit.end()).toMillis());
        row.put("created_at", now);
        rows.add(SpooledRow.of(centralDataset, STEPS, "step_logging_id", row));
      }
      case TRANSITION -> {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("transition_id", id);
        row.put("org_slug", org);
        row.put("pipeline_logging_id", job.id());
        row.put("entity_type", "JOB");
        row.put("entity_name", job.type().ceType());
        row.put("from_state", audit.from().name());
        row.put("to_state", audit.to().name());
        row.put("transition_time", audit.end());
        if (audit.error() != null) {
          row.put("error_type", audit.error().kind());
          row.put("error_message", truncate(audit.error().message()));
          row.put("reason", audit.error().code());
        }
        row.put("retry_count", (long) Math.max(0, audit.attempt() - 1));
        row.put("duration_in_state_ms", Duration.between(audit.start(), audit.end()).toMillis());
        row.put("trigger_type", "pubsub");
        row.put("transition_date", LocalDate.ofInstant(audit.end(), ZoneOffset.UTC));
        row.put("created_at", now);
        rows.add(SpooledRow.of(centralDataset, TRANSITIONS, "transition_id", row));
      }
      case RUN -> {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("pipeline_logging_id", job.id());
        run.put("org_slug", org);
        run.put("pipeline_id", job.type().ceType());
        run.put("status", audit.to().name());
        run.put("trigger_type", "pubsub");
        run.put("trigger_by", job.attributes().get("ce-source"));
        run.put("start_time", audit.start());
        run.put("end_time", audit.end());
        run.put("duration_ms", Duration.between(audit.start(), audit.end()).toMillis());
        run.put("run_date", LocalDate.ofInstant(audit.start(), ZoneOffset.UTC));
        if (audit.error() != null) {
          run.put("error_message", truncate(audit.error().message()));
        }
        run.put("created_at", now);
        rows.add(withRowId(RUNS, id, run));

        Map<String, Object> key = new LinkedHashMap<>();
        key.put("idempotency_key", job.idempotencyKey());
        key.put("org_slug", org);
        key.put(
            "response_data", job.type().ceType() + " " + audit.to().name() + " job " + job.id());
        key.put("created_at", now);
        rows.add(withRowId(KEYS, id, key));

        Map<String, Object> queue = new LinkedHashMap<>();
        queue.put("run_id", job.id());
        queue.put("org_slug", org);
        queue.put("pipeline_id", job.type().ceType());
        queue.put("state", audit.to() == JobState.SUCCEEDED ? "SUCCEEDED" : "FAILED");
        queue.put("scheduled_time", job.createdAt());
        queue.put("priority", (long) job.priority());
        queue.put("added_at", job.createdAt());
        queue.put("processing_started_at", audit.start());
        queue.put("created_at", now);
        rows.add(withRowId(QUEUE, id, queue));
      }
    }
    spool.append(rows);
  }

  private SpooledRow withRowId(String table, String factId, Map<String, Object> row) {
    row.put(ROW_ID, EventFactory.digest(factId + "|" + table));
    return SpooledRow.of(centralDataset, table, ROW_ID, row);
  }

  private static String truncate(String s) {
    return s == null || s.length() <= 2000 ? s : s.substring(0, 2000) + "…";
  }

  /** Writes what is spooled now, when this trail drains its own in-memory spool. */
  public void flush() {
    if (ownDrainer != null) {
      ownDrainer.drain();
    }
  }

  @Override
  public void close() {
    if (ownDrainer != null) {
      ownDrainer.close();
    }
  }
}
