package dev.orgprovisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Submission;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.testing.LedgerFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A command message is always settled: a dead-letter publish that never answers nacks it after
 * {@code messaging.handling-timeout}, so its ordering key (its org) cannot stall.
 */
class CommandConsumerSettleTest {

  /** An emitter whose messages Pub/Sub never answers. */
  private static final class SilentEmitter extends StubEmitter {
    final AtomicInteger sent = new AtomicInteger();

    @Override
    public CompletionStage<Void> send(byte[] payload) {
      sent.incrementAndGet();
      return new CompletableFuture<>();
    }

    @Override
    public <M extends Message<? extends byte[]>> void send(M message) {
      sent.incrementAndGet();
    }
  }

  private CommandConsumer consumer;

  @AfterEach
  void stop() {
    consumer.stop();
  }

  @Test
  void deadLetterPublishThatNeverAnswers_nacksTheMessageAfterTheHandlingTimeout() {
    PubSubEventPublisher publisher = new PubSubEventPublisher();
    SilentEmitter deadLetters = new SilentEmitter();
    publisher.deadLetters = deadLetters;
    publisher.events = new SilentEmitter();
    MessagingConfig config =
        PubSubEmulatorFixture.topologyConfig(
            "localhost:1", "settle", Map.of("messaging.handling-timeout", "300ms"));
    consumer =
        new CommandConsumer(
            CommandDecoder.fromClasspath(
                getClass().getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES),
            new Submission(
                LedgerFixtures.inMemory(Duration.ofSeconds(30)),
                new EventFactory("//test"),
                Clock.systemUTC(),
                job -> {}),
            publisher,
            config,
            Metrics.NONE);
    AtomicInteger acks = new AtomicInteger();
    AtomicInteger nacks = new AtomicInteger();
    Map<String, String> attributes = MalformedCommands.onboardAttributes("settle-1");
    Message<byte[]> message =
        Message.of(
            "not json".getBytes(StandardCharsets.UTF_8),
            Metadata.of(
                new PubSubIncomingMetadata("m-1", attributes, "acme", 1, Instant.now(), "s")),
            () -> {
              acks.incrementAndGet();
              return CompletableFuture.completedFuture(null);
            },
            failure -> {
              nacks.incrementAndGet();
              return CompletableFuture.completedFuture(null);
            });

    consumer.consume(message);

    await().atMost(Duration.ofSeconds(10)).until(() -> nacks.get() == 1);
    assertThat(deadLetters.sent.get()).as("the dead letter was attempted").isEqualTo(1);
    assertThat(acks.get()).isZero();
  }
}
