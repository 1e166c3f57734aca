package dev.orgprovisioner.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.pubsub.v1.MessageReceiver;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.TopicName;
import dev.orgprovisioner.messaging.PubSubTransport;
import dev.orgprovisioner.testing.SharedEmulators;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Pub/Sub emulator runs with grpc-api 1.68.1 in front of its jar: without it, a subscriber that
 * stops leaves the emulator sending the subscription's messages to a dead stream for 25–45 s.
 */
class PubSubEmulatorPatchTest {

  @Test
  void buildPutsTheGrpcApiPatchInPlace() {
    assertThat(Emulators.grpcApiPatch()).isPresent();
  }

  @Test
  void subscriberRestartedOnTheSameSubscription_receivesWithinSeconds() throws Exception {
    String project = SharedEmulators.PROJECT;
    String id = "patch-" + UUID.randomUUID().toString().substring(0, 8);
    TopicName topic = TopicName.of(project, id);
    ProjectSubscriptionName subscription = ProjectSubscriptionName.of(project, id);
    try (PubSubTransport transport =
            PubSubTransport.create(Optional.of(SharedEmulators.pubSub().hostPort()));
        TopicAdminClient topics = transport.topicAdmin();
        SubscriptionAdminClient subs = transport.subscriptionAdmin()) {
      topics.createTopic(topic);
      subs.createSubscription(subscription, topic, PushConfig.getDefaultInstance(), 10);
      MessageReceiver ignore = (m, c) -> c.nack();
      Subscriber first = transport.subscriber(subscription, ignore).build();
      first.startAsync().awaitRunning();
      first.stopAsync().awaitTerminated(10, TimeUnit.SECONDS);

      Publisher publisher = transport.publisher(topic).build();
      publisher
          .publish(PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("after")).build())
          .get(10, TimeUnit.SECONDS);
      publisher.shutdown();
      List<String> received = new CopyOnWriteArrayList<>();
      Subscriber second =
          transport
              .subscriber(
                  subscription,
                  (m, c) -> {
                    received.add(m.getData().toStringUtf8());
                    c.ack();
                  })
              .build();
      second.startAsync().awaitRunning();
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("after"));
      } finally {
        second.stopAsync().awaitTerminated(10, TimeUnit.SECONDS);
      }
    }
  }
}
