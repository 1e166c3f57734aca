package dev.orgprovisioner.messaging;

/**
 * What the Pub/Sub side of the notifier needs from the {@code notify.*} configuration (produced by
 * the application's wiring, so this adapter does not depend on it).
 *
 * @param enabled false: events are acked without notifying
 * @param subscription the notifier's own subscription on the events topic
 * @param concurrency events handled at once
 */
public record NotificationSettings(boolean enabled, String subscription, int concurrency) {}
