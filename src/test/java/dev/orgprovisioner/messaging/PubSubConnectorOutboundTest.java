package dev.orgprovisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.TopicName;
import dev.orgprovisioner.messaging.OutboundDriver.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Outgoing channels against the Pub/Sub emulator: ack on success, nack on failure, batching. */
class PubSubConnectorOutboundTest {

  private static PubSubEmulatorFixture pubsub;

  private PubSubConnector connector;
  private String topic;
  private String subscription;

  @BeforeAll
  static void connect() {
    pubsub = PubSubEmulatorFixture.shared();
  }

  @AfterAll
  static void disconnect() {
    pubsub.close();
  }

  @BeforeEach
  void createTopicAndSubscription() {
    connector = new PubSubConnector();
    topic = PubSubEmulatorFixture.unique("out");
    subscription = topic + "-sub";
    pubsub.createSubscription(subscription, pubsub.createTopic(topic));
  }

  @AfterEach
  void closeConnector() {
    connector.close();
  }

  @Test
  void publish_acksTheMessageOnlyOnceTheEmulatorAcceptedIt() {
    OutboundDriver out = driver(Map.of());

    Outcome outcome = out.send("hello", Map.of("ce-type", "org.synced"), "acme").join();

    assertThat(outcome.acked()).isTrue();
    // The id is assigned by the server: the ack came after the emulator stored the message.
    assertThat(outcome.messageId()).isNotBlank();
    List<ReceivedMessage> received = pubsub.pullNow(subscription);
    assertThat(received).hasSize(1);
    assertThat(received.get(0).getMessage().getMessageId()).isEqualTo(outcome.messageId());
    assertThat(received.get(0).getMessage().getData().toStringUtf8()).isEqualTo("hello");
    assertThat(received.get(0).getMessage().getAttributesMap())
        .containsExactlyEntriesOf(Map.of("ce-type", "org.synced"));
    assertThat(received.get(0).getMessage().getOrderingKey()).isEqualTo("acme");
  }

  @Test
  void byteArrayPayload_isPublishedAsIs() {
    byte[] payload = {0, 1, 2, (byte) 0xff};

    Outcome outcome = driver(Map.of()).send(payload).join();

    assertThat(outcome.acked()).isTrue();
    assertThat(pubsub.pullNow(subscription).get(0).getMessage().getData().toByteArray())
        .isEqualTo(payload);
  }

  @Test
  void publishToAMissingTopic_nacksTheMessageWithTheError() {
    Outcome outcome =
        driver(Map.of())
            .send("lost", new PubSubOutgoingMetadata(Map.of(), "acme", "no-such-topic"))
            .join();

    assertThat(outcome.acked()).isFalse();
    assertThat(outcome.failure())
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.NOT_FOUND));
  }

  @Test
  void failedPublishOnAnOrderingKey_doesNotBlockLaterMessagesOfThatKey() {
    OutboundDriver out = driver(Map.of());
    assertThat(out.send("first", Map.of(), "acme").join().acked()).isTrue();
    TopicName topicName = TopicName.of(PubSubEmulatorFixture.PROJECT, topic);
    pubsub.topics.deleteTopic(topicName);

    Outcome failed = out.send("while-missing", Map.of(), "acme").join();

    assertThat(failed.acked()).isFalse();
    assertThat(failed.failure()).isInstanceOf(ApiException.class);
    pubsub.topics.createTopic(topicName);
    pubsub.createSubscription(subscription + "-again", topicName);
    // Same publisher, same key: without resumePublish the client would fail this one at once.
    Outcome later = out.send("after-recovery", Map.of(), "acme").join();
    assertThat(later.acked()).as("later message of the key: %s", later.failure()).isTrue();
    assertThat(pubsub.pullNow(subscription + "-again"))
        .extracting(m -> m.getMessage().getData().toStringUtf8())
        .containsExactly("after-recovery");
  }

  @Test
  void topicOverride_publishesToThatTopicInsteadOfTheChannelsOne() {
    String dlq = PubSubEmulatorFixture.unique("dlq");
    pubsub.createSubscription(dlq + "-sub", pubsub.createTopic(dlq));

    Outcome outcome =
        driver(Map.of())
            .send("rejected", new PubSubOutgoingMetadata(Map.of("reason", "invalid"), "acme", dlq))
            .join();

    assertThat(outcome.acked()).isTrue();
    List<ReceivedMessage> deadLettered = pubsub.pullNow(dlq + "-sub");
    assertThat(deadLettered).hasSize(1);
    assertThat(deadLettered.get(0).getMessage().getAttributesMap())
        .containsEntry("reason", "invalid");
    assertThat(pubsub.pullNow(subscription)).isEmpty();
  }

  @Test
  void publishersOfAllTopicsOfAChannel_shareItsExecutorThreads() {
    String channel = PubSubEmulatorFixture.unique("shared");
    OutboundDriver out =
        new OutboundDriver(
            connector, pubsub.outgoing(channel, topic, Map.of("executor-threads", "2")));
    List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      String other = PubSubEmulatorFixture.unique("other");
      pubsub.createTopic(other);
      for (int i = 0; i < 10; i++) {
        outcomes.add(out.send("m" + i, new PubSubOutgoingMetadata(Map.of(), "key" + i, other)));
      }
    }

    assertThat(outcomes).allSatisfy(o -> assertThat(o.join().acked()).isTrue());
    // The client's own executor would have started up to ten threads per topic's publisher.
    assertThat(
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("provisioner-pubsub-" + channel + "-"))
                .count())
        .isBetween(1L, 2L);
  }

  @Test
  void unorderedMessages_goAsOneBatch_theMomentTheBatchIsFull() {
    OutboundDriver out =
        driver(
            Map.of(
                "batch-max-delay-ms", "600000",
                "batch-max-messages", "50",
                "enable-ordering", "false"));

    List<CompletableFuture<Outcome>> outcomes =
        IntStream.range(0, 50).mapToObj(i -> out.send("m" + i, Map.of(), "key-" + i)).toList();

    // Far sooner than the ten-minute batch delay: the fiftieth message filled the batch.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> outcomes.stream().allMatch(CompletableFuture::isDone));
    assertThat(outcomes).allSatisfy(o -> assertThat(o.join().acked()).isTrue());
    List<ReceivedMessage> received = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              received.addAll(pubsub.pullNow(subscription));
              return received.size() == 50;
            });
  }

  @Test
  void unsupportedPayload_isNackedWithoutPublishing() {
    Outcome outcome = driver(Map.of()).send(42).join();

    assertThat(outcome.acked()).isFalse();
    assertThat(outcome.failure())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("byte[] or String");
    assertThat(pubsub.pullNow(subscription)).isEmpty();
  }

  @Test
  void orderingDisabled_publishesKeyedMessagesWithoutTheirKey() {
    Outcome outcome =
        driver(Map.of("enable-ordering", "false")).send("unordered", Map.of(), "acme").join();

    assertThat(outcome.acked()).isTrue();
    assertThat(pubsub.pullNow(subscription).get(0).getMessage().getOrderingKey()).isEmpty();
  }

  @Test
  void orderedMessages_areSentAtOnce_neverLeftWaitingForTheBatchDelay() {
    OutboundDriver out =
        driver(Map.of("batch-max-delay-ms", "600000", "batch-max-messages", "1000"));

    List<CompletableFuture<Outcome>> outcomes =
        IntStream.range(0, 20).mapToObj(i -> out.send("m" + i, Map.of(), "key-" + i % 3)).toList();

    // Far sooner than the ten-minute batch delay: each ordered message is a batch of its own.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> outcomes.stream().allMatch(CompletableFuture::isDone));
    assertThat(outcomes).allSatisfy(o -> assertThat(o.join().acked()).isTrue());
  }

  @Test
  void close_publishesWhatIsStillBatched() {
    OutboundDriver out =
        driver(
            Map.of(
                "batch-max-delay-ms", "60000",
                "batch-max-messages", "1000",
                "enable-ordering", "false"));
    CompletableFuture<Outcome> pending = out.send("batched".getBytes(StandardCharsets.UTF_8));
    assertThat(pending).isNotDone();

    connector.close();

    assertThat(pending).isCompletedWithValueMatching(Outcome::acked);
    assertThat(pubsub.pullNow(subscription)).hasSize(1);
  }

  private OutboundDriver driver(Map<String, String> extra) {
    return new OutboundDriver(connector, pubsub.outgoing("out", topic, extra));
  }
}
