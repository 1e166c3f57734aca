package dev.orgprovisioner.execution.port;

import dev.orgprovisioner.execution.OutboxEvent;
import java.util.List;
import java.util.Optional;

/** Port: events stored with the state change that caused them, until Pub/Sub has them. */
public interface Outbox {

  /**
   * Stores events outside any job transition (e.g. a drift check's per-org reports); storing an
   * event id again replaces it, so a retried job does not duplicate its events.
   */
  void storeEvents(List<OutboxEvent> events);

  /** Events not yet published, oldest first. */
  List<OutboxEvent> unpublished(int limit);

  /**
   * The newest events of one ordering key (an org's slug), newest first, published or not, as long
   * as the outbox keeps them (the retention after publishing): an org's recent history.
   */
  List<OutboxEvent> recentOf(String orderingKey, int limit);

  /** Marks an event published; it expires after the outbox retention. */
  void markPublished(String eventId);

  Optional<OutboxEvent> event(String eventId);
}
