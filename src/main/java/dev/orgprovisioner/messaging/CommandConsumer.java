package dev.orgprovisioner.messaging;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.TraceContext;
import dev.orgprovisioner.execution.Intake;
import dev.orgprovisioner.execution.IntakeBatcher;
import dev.orgprovisioner.execution.IntakeDecision;
import dev.orgprovisioner.execution.Submission;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.execution.port.Tracing;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The Pub/Sub side of the intake: hands each command message to {@link Intake} (through a batcher
 * that claims concurrent messages in one transaction; the {@link Submission} dispatches new jobs),
 * carries out the decision (re-publish, dead-letter within Pub/Sub's limits + rejected event), and
 * only then acks. Any failure before that nacks, so Pub/Sub redelivers and nothing accepted is
 * lost.
 */
@ApplicationScoped
public class CommandConsumer {

  private static final Logger LOG = Logger.getLogger(CommandConsumer.class);

  private final PubSubEventPublisher publisher;
  private final MessagingConfig config;
  private final IntakeBatcher batcher;
  private final KeyedSerialExecutor serial = new KeyedSerialExecutor();
  private final Metrics metrics;
  private final Tracing tracing;

  /** A consumer that traces nothing (tools and tests). */
  public CommandConsumer(
      CommandDecoder decoder,
      Submission submission,
      PubSubEventPublisher publisher,
      MessagingConfig config,
      Metrics metrics) {
    this(decoder, submission, publisher, config, metrics, Tracing.NONE);
  }

  @Inject
  public CommandConsumer(
      CommandDecoder decoder,
      Submission submission,
      PubSubEventPublisher publisher,
      MessagingConfig config,
      Metrics metrics,
      Tracing tracing) {
    this.metrics = metrics;
    this.tracing = tracing;
    this.publisher = publisher;
    this.config = config;
    this.batcher =
        new IntakeBatcher(
            new Intake(decoder, submission),
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

  /** The intake's span lasts until the message is acked or nacked; the job continues its trace. */
  private CompletionStage<Void> handle(Message<byte[]> message, PubSubIncomingMetadata meta) {
    Tracing.Span span =
        tracing.intake(
            TraceContext.from(meta.attributes()).orElse(null),
            meta.messageId(),
            meta.attributes().get(CommandDecoder.TYPE));
    CompletionStage<Void> settled;
    try {
      settled =
          batcher
              .submit(
                  new Intake.Incoming(
                      meta.messageId(),
                      meta.attributes(),
                      message.getPayload(),
                      meta.orderingKey(),
                      span.context()))
              .handle(
                  (decision, failure) -> {
                    if (decision instanceof IntakeDecision.Reject r) {
                      span.failed(r.rejection().code().name());
                    }
                    return settle(message, meta, decision, failure);
                  })
              .thenCompose(stage -> stage);
    } catch (RuntimeException e) {
      span.close();
      throw e;
    }
    return settled.whenComplete((ok, failure) -> span.close());
  }

  /**
   * Carries out the decision (or handles the failure), and nacks the message if anything on the way
   * throws or fails: a message neither acked nor nacked would stall its ordering key (its org) for
   * as long as the client keeps extending its lease.
   */
  private CompletionStage<Void> settle(
      Message<byte[]> message,
      PubSubIncomingMetadata meta,
      IntakeDecision decision,
      Throwable failure) {
    CompletionStage<Void> outcome;
    try {
      outcome =
          failure == null ? carryOut(message, meta, decision) : failed(message, meta, failure);
    } catch (RuntimeException e) {
      outcome = CompletableFuture.failedFuture(e);
    }
    return outcome
        .toCompletableFuture()
        .orTimeout(config.handlingTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            e -> {
              LOG.errorf(
                  e,
                  "Handling command message %s failed unexpectedly; nacking it",
                  meta.messageId());
              return nack(message, e);
            });
  }

  private CompletionStage<Void> carryOut(
      Message<byte[]> message, PubSubIncomingMetadata meta, IntakeDecision decision) {
    CompletionStage<Void> done;
    if (decision instanceof IntakeDecision.Enqueued) {
      done = CompletableFuture.completedFuture(null); // dispatched by the submission
    } else if (decision instanceof IntakeDecision.AlreadyInFlight) {
      done = CompletableFuture.completedFuture(null);
    } else if (decision instanceof IntakeDecision.Republish r) {
      done = publisher.publish(r.event());
    } else {
      IntakeDecision.Reject r = (IntakeDecision.Reject) decision;
      LOG.infof(
          "Rejected command message %s: %s on %s",
          meta.messageId(), r.rejection().code(), r.rejection().field());
      DeadLetterMessage dead =
          DeadLetterStamps.rejected(message.getPayload(), meta, r.rejection(), Instant.now());
      done =
          publisher
              .deadLetter(dead.data(), dead.attributes())
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
    DeadLetterMessage dead =
        DeadLetterStamps.exhausted(message.getPayload(), meta, cause, Instant.now());
    LOG.errorf(
        "Command message %s failed %d deliveries; moving it to the dead-letter topic",
        meta.messageId(), meta.deliveryAttempt());
    return publisher
        .deadLetter(dead.data(), dead.attributes())
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
