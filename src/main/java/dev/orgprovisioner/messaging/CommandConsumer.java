package dev.orgprovisioner.messaging;

import dev.orgprovisioner.execution.Intake;
import dev.orgprovisioner.execution.IntakeDecision;
import dev.orgprovisioner.execution.LedgerUnavailableException;
import dev.orgprovisioner.execution.WorkerPool;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The Pub/Sub side of the intake: hands each command message to {@link Intake}, carries out its
 * decision (dispatch, re-publish, dead-letter + rejected event), and only then acks. Any failure
 * before that nacks, so Pub/Sub redelivers at once and nothing accepted is lost.
 */
@ApplicationScoped
public class CommandConsumer {

  private static final Logger LOG = Logger.getLogger(CommandConsumer.class);

  private final Intake intake;
  private final WorkerPool workers;
  private final PubSubEventPublisher publisher;
  private final MessagingConfig config;
  private final ExecutorService pool;
  private final KeyedSerialExecutor serial;

  public CommandConsumer(
      Intake intake, WorkerPool workers, PubSubEventPublisher publisher, MessagingConfig config) {
    this.intake = intake;
    this.workers = workers;
    this.publisher = publisher;
    this.config = config;
    int concurrency = config.intakeConcurrency();
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "provisioner-intake-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.serial = new KeyedSerialExecutor(pool);
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
    serial.submit(meta.orderingKey(), () -> handle(message, meta));
    return CompletableFuture.completedFuture(null);
  }

  private void handle(Message<byte[]> message, PubSubIncomingMetadata meta) {
    IntakeDecision decision;
    try {
      decision =
          intake.handle(
              meta.messageId(), meta.attributes(), message.getPayload(), meta.orderingKey());
    } catch (RuntimeException e) {
      LOG.warnf(
          "Command message %s could not be taken in (attempt %d), nacking: %s",
          meta.messageId(), meta.deliveryAttempt(), e.getMessage());
      message.nack(e);
      return;
    }
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
              .thenCompose(ok -> publisher.publish(r.event()));
    }
    done.whenComplete(
        (ok, failure) -> {
          if (failure == null) {
            message.ack();
          } else {
            LOG.warnf("Publishing for message %s failed, nacking: %s", meta.messageId(), failure);
            message.nack(failure);
          }
        });
  }

  /** Runs the intake, retrying in place while the ledger is unreachable (a Firestore outage). */
  private IntakeDecision takeIn(Message<byte[]> message, PubSubIncomingMetadata meta) {
    long deadline = System.nanoTime() + config.intakeRetryWindow().toNanos();
    long backoffMs = 250;
    while (true) {
      try {
        return intake.handle(
            meta.messageId(), meta.attributes(), message.getPayload(), meta.orderingKey());
      } catch (LedgerUnavailableException e) {
        if (System.nanoTime() + backoffMs * 1_000_000 > deadline) {
          throw e;
        }
        LOG.debugf(
            "Ledger unavailable for message %s, retrying in %d ms", meta.messageId(), backoffMs);
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        backoffMs = Math.min(backoffMs * 2, 4000);
      }
    }
  }

  private void deadLetterExhausted(
      Message<byte[]> message, PubSubIncomingMetadata meta, RuntimeException cause) {
    Map<String, String> attributes = new java.util.LinkedHashMap<>(meta.attributes());
    attributes.put(Intake.REJECTION_CODE, "DELIVERY_ATTEMPTS_EXHAUSTED");
    attributes.put(Intake.REJECTION_FIELD, "");
    attributes.put(
        Intake.REJECTION_MESSAGE,
        "could not be taken in after "
            + meta.deliveryAttempt()
            + " deliveries: "
            + cause.getMessage());
    attributes.put("original-message-id", meta.messageId());
    LOG.errorf(
        "Command message %s failed %d deliveries; moving it to the dead-letter topic",
        meta.messageId(), meta.deliveryAttempt());
    publisher
        .deadLetter(message.getPayload(), attributes)
        .whenComplete(
            (ok, failure) -> {
              if (failure == null) {
                message.ack();
              } else {
                message.nack(failure);
              }
            });
  }

  @PreDestroy
  void stop() {
    pool.shutdown();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
