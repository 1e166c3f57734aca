package dev.orgprovisioner.notify;

/** Port: the append-only notification history ({@code org_notification_history}). */
public interface NotificationHistory {

  /**
   * Appends one row and returns only once it is durable (it may reach the warehouse later).
   * Appending the same row again (same notification, status and retry count) never duplicates it.
   * Throws when the row cannot be made durable; the event must then not be acknowledged.
   */
  void append(HistoryEntry entry);
}
