package dev.orgprovisioner.messaging;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.command.TraceContext;
import dev.orgprovisioner.execution.DaemonThreads;
import dev.orgprovisioner.execution.port.Tracing;
import dev.orgprovisioner.notify.DeliveryStatus;
import dev.orgprovisioner.notify.Notifier;
import dev.orgprovisioner.notify.NotifyEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads completion events from the notifier's own subscription on the events topic (so delivery
 * happens after the job's terminal state and event are stored, and never on the job's path), hands
 * each to the {@link Notifier} on a pool of its own, and acks once every outcome is recorded. If
 * the notifier's state or directory is unreachable the event is nacked and comes back; what was
 * already handled is not sent again.
 */
@ApplicationScoped
public class NotificationConsumer {

  private static final Logger LOG = Logger.getLogger(NotificationConsumer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Notifier notifier;
  private final NotificationSettings config;
  private final ExecutorService pool;
  private final Tracing tracing;

  public NotificationConsumer(Notifier notifier, NotificationSettings config, Tracing tracing) {
    this.notifier = notifier;
    this.tracing = tracing;
    this.config = config;
    this.pool = Executors.newFixedThreadPool(config.concurrency(), DaemonThreads.named("notify"));
  }

  @Incoming("notifications")
  public CompletionStage<Void> consume(Message<byte[]> message) {
    if (!config.enabled()) {
      return message.ack();
    }
    PubSubIncomingMetadata meta =
        message
            .getMetadata(PubSubIncomingMetadata.class)
            .orElse(new PubSubIncomingMetadata("", Map.of(), "", 0, Instant.EPOCH, ""));
    NotifyEvent event;
    try {
      event = event(meta.attributes(), message.getPayload());
    } catch (IllegalArgumentException e) {
      // Not an event of ours (or malformed): nothing to notify, and retrying cannot change it.
      LOG.warnf("Event message %s ignored: %s", meta.messageId(), e.getMessage());
      return message.ack();
    }
    TraceContext trace = TraceContext.from(meta.attributes()).orElse(null);
    CompletableFuture.runAsync(() -> deliver(message, event, trace), pool);
    return CompletableFuture.completedFuture(null);
  }

  private void deliver(Message<byte[]> message, NotifyEvent event, TraceContext trace) {
    try (Tracing.Span span = tracing.notification(trace, event.type(), event.id())) {
      deliver(message, event, span);
    }
  }

  private void deliver(Message<byte[]> message, NotifyEvent event, Tracing.Span span) {
    try {
      Notifier.Outcome outcome = notifier.handle(event);
      if (!outcome.routes().isEmpty()) {
        LOG.infof(
            "Event %s %s: %d sent, %d failed, %d skipped, %d already handled",
            event.type(),
            event.id(),
            outcome.count(DeliveryStatus.SENT),
            outcome.count(DeliveryStatus.FAILED),
            outcome.count(DeliveryStatus.SKIPPED),
            outcome.duplicates());
      }
      if (outcome.count(DeliveryStatus.FAILED) > 0) {
        span.failed("DELIVERY_FAILED");
      }
      message.ack();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      message.nack(e);
    } catch (RuntimeException e) {
      LOG.warnf("Notifications for event %s could not be handled, nacking: %s", event.id(), e);
      span.failed("NACKED");
      message.nack(e);
    }
  }

  /** The event from a binary-mode CloudEvent message. */
  static NotifyEvent event(Map<String, String> attributes, byte[] payload) {
    String id = attributes.get("ce-id");
    String type = attributes.get("ce-type");
    if (id == null || id.isBlank() || type == null || type.isBlank()) {
      throw new IllegalArgumentException("ce-id and ce-type attributes are required");
    }
    String json = payload == null ? "{}" : new String(payload, StandardCharsets.UTF_8);
    Map<String, Object> data;
    try {
      data = JSON.readValue(json.isBlank() ? "{}" : json, new TypeReference<>() {});
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("data is not a JSON object");
    }
    String org = attributes.get("ce-subject");
    if ((org == null || org.isBlank()) && data.get("org_slug") instanceof String s) {
      org = s;
    }
    Instant time = null;
    try {
      time = attributes.containsKey("ce-time") ? Instant.parse(attributes.get("ce-time")) : null;
    } catch (RuntimeException e) {
      // A bad time does not stop the notification; it is only shown in the text.
    }
    return new NotifyEvent(
        id,
        type,
        attributes.getOrDefault("ce-source", ""),
        org,
        time,
        data,
        json,
        TraceContext.from(attributes).map(TraceContext::traceparent).orElse(null));
  }

  @PreDestroy
  void stop() {
    pool.shutdown();
  }
}
