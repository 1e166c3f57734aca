package dev.orgprovisioner.notify.warehouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.InMemoryRowSpool;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.execution.port.RowSpool;
import dev.orgprovisioner.execution.port.SpooledRow;
import dev.orgprovisioner.notify.DeliveryStatus;
import dev.orgprovisioner.notify.HistoryEntry;
import dev.orgprovisioner.notify.NotificationHistory;
import dev.orgprovisioner.provisioning.RowSpoolDrainer;
import dev.orgprovisioner.warehouse.Warehouse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends history rows of {@code org_notification_history} to the durable {@link RowSpool}, from
 * which a {@link RowSpoolDrainer} upserts them into the central dataset. Each row's {@code row_id}
 * is derived from its notification (event, rule, channel), status and retry count, so a redelivered
 * event or a retried write never duplicates it. {@code notification_type} holds the event type;
 * {@code trigger_data} the event id and type as JSON.
 */
public final class WarehouseNotificationHistory implements NotificationHistory, AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String TABLE = "org_notification_history";
  static final String ROW_ID = "row_id";

  private final RowSpool spool;
  private final String centralDataset;
  private final RowSpoolDrainer ownDrainer;

  /** Appends to {@code spool}; a drainer elsewhere writes the rows to the warehouse. */
  public WarehouseNotificationHistory(RowSpool spool, String centralDataset) {
    this(spool, centralDataset, null);
  }

  /**
   * For tests and tools without a ledger: an in-memory spool drained into {@code warehouse} every
   * {@code interval} (and by {@link #flush()}); rows are lost if the JVM dies before a drain.
   */
  public WarehouseNotificationHistory(
      Warehouse warehouse, String centralDataset, int batchSize, Duration interval) {
    this(new InMemoryRowSpool(), centralDataset, warehouse, batchSize, interval);
  }

  private WarehouseNotificationHistory(
      RowSpool spool, String centralDataset, Warehouse warehouse, int batch, Duration interval) {
    this(
        spool,
        centralDataset,
        new RowSpoolDrainer(
                spool,
                warehouse,
                Metrics.NONE,
                Clock.systemUTC(),
                new RowSpoolDrainer.Settings(batch, interval, interval))
            .start());
  }

  private WarehouseNotificationHistory(
      RowSpool spool, String centralDataset, RowSpoolDrainer ownDrainer) {
    this.spool = spool;
    this.centralDataset = centralDataset;
    this.ownDrainer = ownDrainer;
  }

  /**
   * Appends the row durably before returning.
   *
   * @throws dev.orgprovisioner.execution.port.LedgerUnavailableException the spool cannot be
   *     reached: the caller must not acknowledge the event
   */
  @Override
  public void append(HistoryEntry entry) {
    spool.append(List.of(SpooledRow.of(centralDataset, TABLE, ROW_ID, row(entry))));
  }

  /** The deterministic id of a history row: one notification, status and retry count. */
  static String rowId(HistoryEntry e) {
    return EventFactory.digest(e.notificationId() + "|" + e.status().name() + "|" + e.retryCount());
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
    row.put(ROW_ID, rowId(e));
    return row;
  }

  /** Writes what is spooled now, when this history drains its own in-memory spool. */
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
