package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.execution.DaemonThreads;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobAudit;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.port.AuditTrail;
import dev.orgprovisioner.warehouse.Warehouse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the audit trail into the central dataset's append-only tables ({@code
 * org_meta_pipeline_runs}, {@code org_meta_step_logs}, {@code org_meta_state_transitions}, and
 * mirrors of the idempotency key and queue rows). Rows are buffered and written in batches, one
 * insert per table per flush; every row sets {@code created_at}. Rows carry stable ids, so a reader
 * can de-duplicate should a flush be retried.
 */
public final class WarehouseAuditTrail implements AuditTrail, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(WarehouseAuditTrail.class.getName());

  static final String RUNS = "org_meta_pipeline_runs";
  static final String STEPS = "org_meta_step_logs";
  static final String TRANSITIONS = "org_meta_state_transitions";
  static final String KEYS = "org_idempotency_keys";
  static final String QUEUE = "org_pipeline_execution_queue";

  private final Warehouse warehouse;
  private final String centralDataset;
  private final Clock clock;
  private final int batchSize;
  private final Map<String, List<Map<String, Object>>> buffer = new LinkedHashMap<>();
  private final ScheduledExecutorService flusher;

  public WarehouseAuditTrail(
      Warehouse warehouse, String centralDataset, Clock clock, int batchSize, Duration interval) {
    this.warehouse = warehouse;
    this.centralDataset = centralDataset;
    this.clock = clock;
    this.batchSize = batchSize;
    this.flusher = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("audit"));
    long ms = interval.toMillis();
    flusher.scheduleWithFixedDelay(this::flush, ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public void record(JobAudit audit) {
    Job job = audit.job();
    String org = job.orgSlug() != null ? job.orgSlug() : job.lockKey();
    var now = clock.instant();
    switch (audit.kind()) {
      case STEP -> {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step_logging_id", EventFactory.digest(job.id() + "|" + audit.step()));
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
        add(STEPS, row);
      }
      case TRANSITION -> {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("transition_id", UUID.randomUUID().toString());
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
        row.put("retry_count", (long) Math.max(0, job.attempts() - 1));
        row.put("duration_in_state_ms", Duration.between(audit.start(), audit.end()).toMillis());
        row.put("trigger_type", "pubsub");
        row.put("transition_date", LocalDate.ofInstant(audit.end(), ZoneOffset.UTC));
        row.put("created_at", now);
        add(TRANSITIONS, row);
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
        add(RUNS, run);

        Map<String, Object> key = new LinkedHashMap<>();
        key.put("idempotency_key", job.idempotencyKey());
        key.put("org_slug", org);
        key.put(
            "response_data", job.type().ceType() + " " + audit.to().name() + " job " + job.id());
        key.put("created_at", now);
        add(KEYS, key);

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
        add(QUEUE, queue);
      }
    }
  }

  private static String truncate(String s) {
    return s == null || s.length() <= 2000 ? s : s.substring(0, 2000) + "…";
  }

  private void add(String table, Map<String, Object> row) {
    boolean full;
    synchronized (buffer) {
      List<Map<String, Object>> rows = buffer.computeIfAbsent(table, t -> new ArrayList<>());
      rows.add(row);
      full = rows.size() >= batchSize;
    }
    if (full) {
      flusher.execute(this::flush);
    }
  }

  /** Writes everything buffered: one insert per table. */
  public void flush() {
    Map<String, List<Map<String, Object>>> batch;
    synchronized (buffer) {
      if (buffer.isEmpty()) {
        return;
      }
      batch = new LinkedHashMap<>(buffer);
      buffer.clear();
    }
    batch.forEach(
        (table, rows) -> {
          try {
            warehouse.insertRows(centralDataset, table, rows);
          } catch (RuntimeException e) {
            // The audit trail must never fail a job; the rows are dropped and said so.
            LOG.log(
                Level.WARNING,
                "Could not write "
                    + rows.size()
                    + " audit row(s) to "
                    + table
                    + ": "
                    + e.getMessage());
          }
        });
  }

  @Override
  public void close() {
    flusher.shutdown();
    flush();
  }
}
