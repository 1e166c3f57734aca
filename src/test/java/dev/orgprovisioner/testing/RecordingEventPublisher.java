package dev.orgprovisioner.testing;

import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.EventPublisher;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** Collects published events in memory; can be switched to fail, to simulate a Pub/Sub outage. */
public final class RecordingEventPublisher implements EventPublisher {

  private final List<OutboxEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicBoolean down = new AtomicBoolean();

  @Override
  public CompletionStage<Void> publish(OutboxEvent event) {
    if (down.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException("Pub/Sub is down"));
    }
    events.add(event);
    return CompletableFuture.completedFuture(null);
  }

  public void setDown(boolean isDown) {
    down.set(isDown);
  }

  public List<OutboxEvent> events() {
    return List.copyOf(events);
  }

  public List<OutboxEvent> events(String type) {
    return events.stream().filter(e -> e.type().equals(type)).toList();
  }
}
