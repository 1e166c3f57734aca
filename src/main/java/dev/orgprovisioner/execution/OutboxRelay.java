package dev.orgprovisioner.execution;

import dev.orgprovisioner.execution.port.EventPublisher;
import dev.orgprovisioner.execution.port.Outbox;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes outbox events: at once after a job ends, and again from a periodic sweep for any that
 * did not make it (a crash between "done" and "published", or Pub/Sub being down).
 */
public final class OutboxRelay {

  private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());

  private final Outbox ledger;
  private final EventPublisher publisher;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  /**
   * Events this relay marked published lately: a sweep that read the outbox just before the mark
   * must not send them again.
   */
  private final Set<String> recentlyPublished = ConcurrentHashMap.newKeySet();

  private static final int RECENT_LIMIT = 10_000;

  public OutboxRelay(Outbox ledger, EventPublisher publisher) {
    this.ledger = ledger;
    this.publisher = publisher;
  }

  /** Publishes one stored event and marks it published when Pub/Sub accepted it. */
  public void publish(OutboxEvent event) {
    if (recentlyPublished.contains(event.id()) || !inFlight.add(event.id())) {
      return;
    }
    try {
      publisher
          .publish(event)
          .whenComplete(
              (ok, failure) -> {
                try {
                  if (failure == null) {
                    ledger.markPublished(event.id());
                    if (recentlyPublished.size() >= RECENT_LIMIT) {
                      recentlyPublished.clear();
                    }
                    recentlyPublished.add(event.id());
                  } else {
                    LOG.log(
                        Level.WARNING,
                        "Publishing event {0} failed; the relay will retry: {1}",
                        new Object[] {event.id(), failure.getMessage()});
                  }
                } catch (RuntimeException e) {
                  LOG.log(Level.WARNING, "Could not mark event " + event.id() + " published", e);
                } finally {
                  inFlight.remove(event.id());
                }
              });
    } catch (RuntimeException e) {
      inFlight.remove(event.id());
      LOG.log(Level.WARNING, "Publishing event " + event.id() + " failed; will retry", e);
    }
  }

  /** Publishes every stored event not yet published; returns how many were sent. */
  public int sweep(int limit) {
    int sent = 0;
    for (OutboxEvent event : ledger.unpublished(limit)) {
      if (!inFlight.contains(event.id()) && !recentlyPublished.contains(event.id())) {
        publish(event);
        sent++;
      }
    }
    return sent;
  }
}
