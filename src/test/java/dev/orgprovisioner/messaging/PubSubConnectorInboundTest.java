package dev.orgprovisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.pubsub.v1.AckReplyConsumer;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.TopicName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Incoming channels against the Pub/Sub emulator: metadata, nack, dead-lettering, order, drain. */
class PubSubConnectorInboundTest {

  private static PubSubEmulatorFixture pubsub;

  private PubSubConnector connector;
  private MessagingConfig topology;

  @BeforeAll
  static void connect() {
    pubsub = PubSubEmulatorFixture.shared();
  }

  @AfterAll
  static void disconnect() {
    pubsub.close();
  }

  @BeforeEach
  void createTopology() {
    connector = new PubSubConnector();
    topology = pubsub.topologyConfig(PubSubEmulatorFixture.unique("in"), Map.of());
    new PubSubTopology(topology).ensure();
  }

  @AfterEach
  void closeConnector() {
    connector.close();
  }

  @Test
  void publishedMessage_arrivesWithItsAttributesOrderingKeyAndADeliveryAttempt() {
    Instant before = Instant.now().minusSeconds(1);
    OutboundDriver.Outcome sent =
        commandsOut().send("hello", Map.of("ce-type", "org.onboard.requested"), "acme").join();
    InboundProbe probe = subscribeToCommands(InboundProbe.oneByOne(Message::ack));

    await().atMost(Duration.ofSeconds(10)).until(() -> probe.messages.size() == 1);

    Message<?> message = probe.messages.get(0);
    PubSubIncomingMetadata metadata = InboundProbe.metadata(message);
    assertThat(InboundProbe.text(message)).isEqualTo("hello");
    assertThat(metadata.messageId()).isEqualTo(sent.messageId());
    assertThat(metadata.attributes()).isEqualTo(Map.of("ce-type", "org.onboard.requested"));
    assertThat(metadata.orderingKey()).isEqualTo("acme");
    assertThat(metadata.deliveryAttempt()).isEqualTo(1);
    assertThat(metadata.publishTime()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
    assertThat(metadata.subscription())
        .isEqualTo(
            ProjectSubscriptionName.of(
                    PubSubEmulatorFixture.PROJECT, topology.commandsSubscription())
                .toString());
  }

  @Test
  void nackedMessage_isRedeliveredWithinSecondsWithTheNextDeliveryAttempt() {
    List<Instant> deliveredAt = new CopyOnWriteArrayList<>();
    InboundProbe probe =
        subscribeToCommands(
            InboundProbe.oneByOne(
                message -> {
                  deliveredAt.add(Instant.now());
                  if (InboundProbe.metadata(message).deliveryAttempt() < 2) {
                    message.nack(new IllegalStateException("transient failure"));
                  } else {
                    message.ack();
                  }
                }));

    commandsOut().send("retry me", Map.of(), "acme").join();

    // The ack deadline is 60 s: a redelivery within 10 s can only come from the nack.
    await().atMost(Duration.ofSeconds(10)).until(() -> probe.messages.size() == 2);
    assertThat(probe.messages)
        .extracting(message -> InboundProbe.metadata(message).deliveryAttempt())
        .containsExactly(1, 2);
    assertThat(Duration.between(deliveredAt.get(0), deliveredAt.get(1)))
        .isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void messageNackedOnEveryDelivery_landsOnTheDeadLetterSubscriptionAfterMaxAttempts() {
    // The emulator never dead-letters from an ordered subscription (real Pub/Sub does): this test
    // uses the topology's commands subscription with ordering switched off, policies unchanged.
    Subscription unordered =
        new PubSubTopology(topology)
            .commandsSubscription().toBuilder()
                .setName(
                    ProjectSubscriptionName.of(
                            PubSubEmulatorFixture.PROJECT,
                            topology.commandsSubscription() + "-unordered")
                        .toString())
                .setEnableMessageOrdering(false)
                .build();
    pubsub.subscriptions.createSubscription(unordered);
    InboundProbe probe =
        InboundProbe.subscribe(
            connector,
            pubsub.incoming("commands", unordered.getName(), Map.of()),
            InboundProbe.oneByOne(message -> message.nack(new IllegalStateException("poison"))));

    commandsOut().send("poison", Map.of("ce-id", "p-1"), "acme").join();

    List<ReceivedMessage> deadLettered = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> deadLettered.addAll(pubsub.pullNow(topology.dlqSubscription())));
    assertThat(probe.messages)
        .extracting(message -> InboundProbe.metadata(message).deliveryAttempt())
        .containsExactly(1, 2, 3, 4, 5);
    assertThat(deadLettered).hasSize(1);
    assertThat(deadLettered.get(0).getMessage().getData().toStringUtf8()).isEqualTo("poison");
    assertThat(deadLettered.get(0).getMessage().getAttributesMap()).containsEntry("ce-id", "p-1");
  }

  @Test
  void messagesOfOneOrderingKey_arriveInPublishOrder() {
    OutboundDriver out = commandsOut();
    List<String> sent = IntStream.range(0, 20).mapToObj(i -> "step-" + i).toList();
    CompletableFuture.allOf(
            sent.stream()
                .map(payload -> out.send(payload, Map.of(), "acme"))
                .toArray(CompletableFuture[]::new))
        .join();

    InboundProbe probe = subscribeToCommands(InboundProbe.oneByOne(Message::ack));

    await().atMost(Duration.ofSeconds(15)).until(() -> probe.messages.size() >= 20);
    assertThat(probe.payloads()).containsExactlyElementsOf(sent);
  }

  @Test
  void incomingChannel_handsOutNoMoreMessagesThanRequested() {
    OutboundDriver out = commandsOut();
    IntStream.range(0, 5).forEach(i -> out.send("m" + i, Map.of(), "k" + i).join());
    PubSubSource source = commandsSource(Map.of());
    InboundProbe probe = InboundProbe.requesting(2);
    source.subscribe(probe);

    await().atMost(Duration.ofSeconds(10)).until(() -> source.waiting() == 3);
    assertThat(probe.messages).hasSize(2);

    probe.request(3);
    assertThat(probe.messages).hasSize(5);
    probe.messages.forEach(Message::ack);
  }

  @Test
  void stop_nacksMessagesNotHandedOutAndWaitsForTheOneInProcessing() {
    OutboundDriver out = commandsOut();
    List.of("in-flight", "buffered-1", "buffered-2")
        .forEach(payload -> out.send(payload, Map.of(), "key-" + payload).join());
    ReplyRecorder replies = new ReplyRecorder();
    PubSubSource source = recordedSource(Map.of("shutdown-timeout", "20s"), replies);
    InboundProbe probe = InboundProbe.requesting(1);
    source.subscribe(probe);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> probe.messages.size() == 1 && source.waiting() == 2);

    // Different ordering keys: Pub/Sub may hand out any of the three first.
    String handedOut = probe.payloads().get(0);
    List<String> notHandedOut =
        List.of("in-flight", "buffered-1", "buffered-2").stream()
            .filter(p -> !p.equals(handedOut))
            .toList();
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(source::stop);

    await().atMost(Duration.ofSeconds(5)).until(() -> replies.nacked.size() == 2);
    assertThat(replies.nacked).containsExactlyInAnyOrderElementsOf(notHandedOut);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !stopping.isDone());
    probe.messages.get(0).ack();
    await().atMost(Duration.ofSeconds(10)).until(stopping::isDone);
    assertThat(replies.acked).containsExactly(handedOut);
    assertThat(probe.completed).isTrue();
    assertThat(probe.payloads()).containsExactly(handedOut);
    // Not asserted: the nacked messages' redelivery after the stop. The emulator 0.8.20 cannot
    // process a cancelled stream (grpc-api/grpc-core mismatch in its jar) and keeps delivering to
    // the dead stream; nack redelivery itself is shown by the tests above.
  }

  @Test
  void stop_givesUpOnAMessageStillInProcessingAfterTheShutdownTimeout() {
    commandsOut().send("stuck", Map.of(), "acme").join();
    PubSubSource source = recordedSource(Map.of("shutdown-timeout", "3s"), new ReplyRecorder());
    InboundProbe probe = InboundProbe.requesting(1);
    source.subscribe(probe);
    await().atMost(Duration.ofSeconds(10)).until(() -> probe.messages.size() == 1);

    long started = System.nanoTime();
    source.stop();

    // The client waits for processing until 1 s before the timeout, then sends its final nacks.
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1500))
        .isLessThan(Duration.ofSeconds(10));
    assertThat(probe.completed).isTrue();
  }

  @Test
  void missingSubscription_failsTheIncomingStream() {
    InboundProbe probe =
        InboundProbe.subscribe(
            connector,
            pubsub.incoming("commands", "no-such-subscription", Map.of()),
            InboundProbe.oneByOne(Message::ack));

    await().atMost(Duration.ofSeconds(15)).until(() -> probe.failure != null);
    assertThat(probe.failure).hasMessageContaining("NOT_FOUND");
  }

  private InboundProbe subscribeToCommands(InboundProbe probe) {
    return InboundProbe.subscribe(
        connector, pubsub.incoming("commands", topology.commandsSubscription(), Map.of()), probe);
  }

  private PubSubSource recordedSource(Map<String, String> extra, ReplyRecorder replies) {
    return new PubSubSource(
        ChannelSettings.inbound(
            pubsub.incoming("commands", topology.commandsSubscription(), extra)),
        replies);
  }

  /** Wraps the client's reply consumers and records which payloads were acked or nacked. */
  private static final class ReplyRecorder
      implements BiFunction<PubsubMessage, AckReplyConsumer, AckReplyConsumer> {

    final List<String> acked = new CopyOnWriteArrayList<>();
    final List<String> nacked = new CopyOnWriteArrayList<>();

    @Override
    public AckReplyConsumer apply(PubsubMessage message, AckReplyConsumer reply) {
      String payload = message.getData().toStringUtf8();
      return new AckReplyConsumer() {
        @Override
        public void ack() {
          acked.add(payload);
          reply.ack();
        }

        @Override
        public void nack() {
          nacked.add(payload);
          reply.nack();
        }
      };
    }
  }

  private PubSubSource commandsSource(Map<String, String> extra) {
    return (PubSubSource)
        connector.getPublisher(pubsub.incoming("commands", topology.commandsSubscription(), extra));
  }

  private OutboundDriver commandsOut() {
    TopicName topic = TopicName.of(PubSubEmulatorFixture.PROJECT, topology.commandsTopic());
    return new OutboundDriver(
        connector, pubsub.outgoing("commands-out", topic.getTopic(), Map.of()));
  }
}
