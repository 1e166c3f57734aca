package dev.orgprovisioner.notify;

/** Port: the append-only notification history ({@code org_notification_history}). */
public interface NotificationHistory {

  /** Appends one row; may buffer, but must not lose rows it accepted while running. */
  void append(HistoryEntry entry);
}
