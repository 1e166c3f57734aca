package dev.orgprovisioner.notify;

import java.time.Instant;
import java.util.List;

/**
 * One append-only row of the notification history: one state of one notification (an event on one
 * channel by one rule).
 *
 * @param notificationId stable per (event, rule, channel), shared by all its rows
 * @param retryCount retries made before this row (0 on the first attempt)
 * @param error what went wrong, never containing a URL or secret; null when nothing did
 */
public record HistoryEntry(
    String notificationId,
    String orgSlug,
    String ruleId,
    String channelId,
    String eventId,
    String eventType,
    Priority priority,
    String subject,
    String bodyPreview,
    DeliveryStatus status,
    int retryCount,
    String error,
    List<String> recipients,
    Instant createdAt) {

  public HistoryEntry {
    recipients = recipients == null ? List.of() : List.copyOf(recipients);
  }
}
