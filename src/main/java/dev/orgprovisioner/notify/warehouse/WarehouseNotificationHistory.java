package dev.orgprovisioner.notify.warehouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.notify.DeliveryStatus;
import dev.orgprovisioner.notify.HistoryEntry;
import dev.orgprovisioner.notify.NotificationHistory;
import dev.orgprovisioner.warehouse.Warehouse;
import java.time.Duration;
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
 * Appends history rows to {@code org_notification_history} in the central dataset, buffered and
 * written in batches (one insert per flush, never an update). Rows that could not be written stay
 * buffered for the next flush, up to a cap. {@code notification_type} holds the event type; {@code
 * trigger_data} the event id and type as JSON.
 */
public final class WarehouseNotificationHistory implements NotificationHistory, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(WarehouseNotificationHistory.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String TABLE = "org_notification_history";
  private static final int MAX_BUFFERED = 10_000;

  private final Warehouse warehouse;
  private final String centralDataset;
  private final int batchSize;
  private final List<Map<String, Object>> buffer = new ArrayList<>();
  private final ScheduledExecutorService flusher;

  public WarehouseNotificationHistory(
      Warehouse warehouse, String centralDataset, int batchSize, Duration interval) {
    this.warehouse = warehouse;
    this.centralDataset = centralDataset;
    this.batchSize = batchSize;
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "notify-history");
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    flusher.scheduleWithFixedDelay(this::flush, ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public void append(HistoryEntry entry) {
    boolean full;
    synchronized (buffer) {
      buffer.add(row(entry));
      full = buffer.size() >= batchSize;
    }
    if (full) {
      flusher.execute(this::flush);
    }
  }

  static Map<String, Object> row(HistoryEntry e) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("notification_id", e.notificationId());
    row.put("org_slug", e.orgSlug());
    row.put("rule_id", e.ruleId());
    row.put("channel_id", e.channelId());
    row.put("notification_type", e.eventType());
    row.put("priority", e.priority().lower());
    row.put("subject", e.subject());
    row.put("body_preview", e.bodyPreview());
    row.put("status", e.status().name());
    row.put("sent_at", e.status() == DeliveryStatus.SENT ? e.createdAt() : null);
    row.put("error_message", e.error());
    row.put("retry_count", (long) e.retryCount());
    Map<String, Object> trigger = new LinkedHashMap<>();
    trigger.put("event_id", e.eventId());
    trigger.put("event_type", e.eventType());
    row.put("trigger_data", JSON.valueToTree(trigger).toString());
    // recipients (REPEATED) stays empty: the Warehouse port writes scalar values only.
    row.put("created_at", e.createdAt());
    return row;
  }

  /** Writes everything buffered in one insert. */
  public void flush() {
    List<Map<String, Object>> batch;
    synchronized (buffer) {
      if (buffer.isEmpty()) {
        return;
      }
      batch = new ArrayList<>(buffer);
      buffer.clear();
    }
    try {
      warehouse.insertRows(centralDataset, TABLE, batch);
    } catch (RuntimeException e) {
      synchronized (buffer) {
        buffer.addAll(0, batch);
        int excess = buffer.size() - MAX_BUFFERED;
        if (excess > 0) {
          buffer.subList(0, excess).clear();
          LOG.warning("Dropped " + excess + " notification history row(s): buffer full");
        }
      }
      LOG.log(
          Level.WARNING,
          "Could not write " + batch.size() + " notification history row(s): " + e.getMessage());
    }
  }

  @Override
  public void close() {
    flusher.shutdown();
    flush();
  }
}
