package dev.orgprovisioner.messaging;

import dev.orgprovisioner.execution.Intake;
import dev.orgprovisioner.execution.IntakeBatcher;
import dev.orgprovisioner.execution.IntakeDecision;
import dev.orgprovisioner.execution.WorkerPool;
import dev.orgprovisioner.execution.port.Metrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The Pub/Sub side of the intake: hands each command message to {@link Intake} (through a batcher
 * that claims concurrent messages in one transaction), carries out the decision (dispatch,
 * re-publish, dead-letter + rejected event), and only then acks. Any failure before that nacks, so
 * Pub/Sub redelivers at once and nothing accepted is lost.
 */
@ApplicationScoped
public class CommandConsumer {

  private static final Logger LOG = Logger.getLogger(CommandConsumer.class);

  private final WorkerPool workers;
  private final PubSubEventPublisher publisher;
  private final MessagingConfig config;
  private final IntakeBatcher batcher;
  private final KeyedSerialExecutor serial = new KeyedSerialExecutor();
  private final Metrics metrics;

  public CommandConsumer(
      Intake intake,
      WorkerPool workers,
      PubSubEventPublisher publisher,
      MessagingConfig config,
      Metrics metrics) {
    this.metrics = metrics;
    this.workers = workers;
    this.publisher = publisher;
    this.config = config;
    this.batcher =
        new IntakeBatcher(
            intake,
            100,
            java.time.Duration.ofSeconds(config.intakeRetryWindowSeconds()),
            config.intakeConcurrency());
  }

  /**
   * Returns at once: the ack or nack happens when the message's handling is done, so messages of
   * different orgs are handled concurrently (bounded by the subscriber's flow control).
   */
  @Incoming("commands")
  public CompletionStage<Void> consume(Message<byte[]> message) {
    PubSubIncomingMetadata meta =
        message
            .getMetadata(PubSubIncomingMetadata.class)
            .orElse(new PubSubIncomingMetadata("", Map.of(), "", 0, Instant.EPOCH, ""));
    metrics.message(Metrics.MessageOutcome.RECEIVED);
    serial.submit(meta.orderingKey(), () -> handle(message, meta));
    return CompletableFuture.completedFuture(null);
  }

  private CompletionStage<Void> handle(Message<byte[]> message, PubSubIncomingMetadata meta) {
    return batcher
        .submit(
            new Intake.Incoming(
                meta.messageId(), meta.attributes(), message.getPayload(), meta.orderingKey()))
        .handle(
            (decision, failure) ->
                failure == null
                    ? carryOut(message, meta, decision)
                    : failed(message, meta, failure))
        .thenCompose(stage -> stage);
  }

  private CompletionStage<Void> carryOut(
      Message<byte[]> message, PubSubIncomingMetadata meta, IntakeDecision decision) {
    CompletionStage<Void> done;
    if (decision instanceof IntakeDecision.Enqueued e) {
      workers.dispatch(e.job());
      done = CompletableFuture.completedFuture(null);
    } else if (decision instanceof IntakeDecision.AlreadyInFlight) {
      done = CompletableFuture.completedFuture(null);
    } else if (decision instanceof IntakeDecision.Republish r) {
      done = publisher.publish(r.event());
    } else {
      IntakeDecision.Reject r = (IntakeDecision.Reject) decision;
      LOG.infof(
          "Rejected command message %s: %s on %s",
          meta.messageId(), r.rejection().code(), r.rejection().field());
      done =
          publisher
              .deadLetter(message.getPayload(), r.deadLetterAttributes())
              .thenCompose(
                  ok -> {
                    metrics.deadLetter(r.rejection().code().name());
                    metrics.message(Metrics.MessageOutcome.REJECTED);
                    return publisher.publish(r.event());
                  });
    }
    return done.handle(
            (ok, failure) -> {
              if (failure == null) {
                return ack(message);
              }
              LOG.warnf("Publishing for message %s failed, nacking: %s", meta.messageId(), failure);
              return nack(message, failure);
            })
        .thenCompose(stage -> stage);
  }

  private CompletionStage<Void> failed(
      Message<byte[]> message, PubSubIncomingMetadata meta, Throwable failure) {
    if (meta.deliveryAttempt() >= config.maxDeliveryAttempts()) {
      // Pub/Sub's dead-letter policy should move it after this attempt; the emulator does not for
      // ordered subscriptions, so the intake dead-letters it itself rather than lose it.
      return deadLetterExhausted(message, meta, failure);
    }
    LOG.warnf(
        "Command message %s could not be taken in (attempt %d), nacking: %s",
        meta.messageId(), meta.deliveryAttempt(), failure.getMessage());
    return nack(message, failure);
  }

  private CompletionStage<Void> ack(Message<byte[]> message) {
    metrics.message(Metrics.MessageOutcome.ACKED);
    return message.ack();
  }

  private CompletionStage<Void> nack(Message<byte[]> message, Throwable failure) {
    metrics.message(Metrics.MessageOutcome.NACKED);
    return message.nack(failure);
  }

  private CompletionStage<Void> deadLetterExhausted(
      Message<byte[]> message, PubSubIncomingMetadata meta, Throwable cause) {
    Map<String, String> attributes = new LinkedHashMap<>(meta.attributes());
    attributes.put(Intake.REJECTION_CODE, Intake.DELIVERY_ATTEMPTS_EXHAUSTED);
    attributes.put(Intake.REJECTION_FIELD, "");
    attributes.put(
        Intake.REJECTION_MESSAGE,
        "could not be taken in after "
            + meta.deliveryAttempt()
            + " deliveries: "
            + cause.getMessage());
    attributes.put(Intake.ORIGINAL_MESSAGE_ID, meta.messageId());
    if (!meta.orderingKey().isEmpty()) {
      attributes.put(Intake.ORIGINAL_ORDERING_KEY, meta.orderingKey());
    }
    attributes.put(Intake.DELIVERY_ATTEMPTS, Integer.toString(meta.deliveryAttempt()));
    if (meta.publishTime() != null && !Instant.EPOCH.equals(meta.publishTime())) {
      // Its first delivery (right after publishing) was its first failure.
      attributes.put(Intake.ORIGINAL_PUBLISH_TIME, meta.publishTime().toString());
    }
    attributes.put(Intake.DEAD_LETTERED_AT, Instant.now().toString());
    LOG.errorf(
        "Command message %s failed %d deliveries; moving it to the dead-letter topic",
        meta.messageId(), meta.deliveryAttempt());
    return publisher
        .deadLetter(message.getPayload(), attributes)
        .handle(
            (ok, failure) -> {
              if (failure != null) {
                return nack(message, failure);
              }
              metrics.deadLetter("DELIVERY_ATTEMPTS_EXHAUSTED");
              metrics.message(Metrics.MessageOutcome.REJECTED);
              return ack(message);
            })
        .thenCompose(stage -> stage);
  }

  @PreDestroy
  void stop() {
    batcher.close();
  }
}
