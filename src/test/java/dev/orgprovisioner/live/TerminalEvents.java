package dev.orgprovisioner.live;

import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.EventPublisher;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Stands in for the events topic: hands each command's terminal event to whoever waits for it. */
final class TerminalEvents implements EventPublisher {

  private final Map<String, BlockingQueue<OutboxEvent>> byCommand = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Void> publish(OutboxEvent event) {
    String command = event.attributes().get(EventFactory.CORRELATION_ID);
    if (command != null) {
      queue(command).add(event);
    }
    return CompletableFuture.completedFuture(null);
  }

  /**
   * The command's terminal event: {@code successType}, or a failure (every failure event's type
   * ends in {@code .failed}); other events of the command (e.g. drift.detected) are passed over.
   *
   * @throws IllegalStateException when none arrives within {@code timeout}
   */
  OutboxEvent await(String commandId, String successType, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    BlockingQueue<OutboxEvent> events = queue(commandId);
    while (true) {
      OutboxEvent event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (event == null) {
        throw new IllegalStateException(
            "no " + successType + " (nor failure) within " + timeout + " of the command");
      }
      if (event.type().equals(successType) || event.type().endsWith(".failed")) {
        return event;
      }
    }
  }

  private BlockingQueue<OutboxEvent> queue(String commandId) {
    return byCommand.computeIfAbsent(commandId, c -> new LinkedBlockingQueue<>());
  }
}
