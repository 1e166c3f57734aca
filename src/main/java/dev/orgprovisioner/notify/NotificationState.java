package dev.orgprovisioner.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Port: the small amount of shared state delivery needs, kept where it can be decided atomically:
 * per (org, rule) cooldowns and per (event, rule, channel) "already handled" markers, so a
 * redelivered event never sends twice.
 */
public interface NotificationState {

  /** The verdict of a cooldown check. */
  record CooldownVerdict(boolean allowed, Instant lastSentAt) {}

  /**
   * Atomically: allowed when the rule last fired for the org more than {@code cooldown} ago (or
   * never), or when it was this same event that fired it (a redelivery); when allowed, records
   * {@code eventId} at {@code now} as the last firing.
   */
  CooldownVerdict acquireCooldown(
      String org, String ruleId, String eventId, Instant now, Duration cooldown);

  /** The final status recorded for a notification id, if it was handled before. */
  Optional<DeliveryStatus> handled(String notificationId);

  /** Records the final status of a notification id. */
  void markHandled(String notificationId, DeliveryStatus status, Instant now);
}
