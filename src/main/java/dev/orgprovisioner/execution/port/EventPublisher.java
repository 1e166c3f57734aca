package dev.orgprovisioner.execution.port;

import dev.orgprovisioner.execution.OutboxEvent;
import java.util.concurrent.CompletionStage;

/** Port: publishes an event to the events topic; completes when Pub/Sub accepted it. */
public interface EventPublisher {

  CompletionStage<Void> publish(OutboxEvent event);
}
