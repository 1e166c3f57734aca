package dev.orgprovisioner.testing;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * What a frontend and an events consumer do, for tests: publish commands (ordered, binary-mode
 * CloudEvents) and read a topic through a subscription of the test's own.
 */
public final class PubSubTestClient implements AutoCloseable {

  /** A received message, already acknowledged. */
  public record Received(
      String id, Map<String, String> attributes, String data, String orderingKey) {}

  private final String project;
  private final ManagedChannel channel;
  private final TransportChannelProvider channels;
  private final SubscriptionAdminClient subscriptions;
  private final List<Publisher> publishers = new ArrayList<>();

  public PubSubTestClient(String hostPort, String project) {
    this.project = project;
    this.channel = ManagedChannelBuilder.forTarget(hostPort).usePlaintext().build();
    this.channels = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    try {
      this.subscriptions =
          SubscriptionAdminClient.create(
              SubscriptionAdminSettings.newBuilder()
                  .setTransportChannelProvider(channels)
                  .setCredentialsProvider(NoCredentialsProvider.create())
                  .build());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static PubSubTestClient forSharedEmulator() {
    return new PubSubTestClient(SharedEmulators.pubSub().hostPort(), SharedEmulators.PROJECT);
  }

  /** Publishes one message and waits until the emulator accepted it; returns its message id. */
  public String publish(
      String topic, Map<String, String> attributes, byte[] data, String orderingKey) {
    try {
      Publisher publisher =
          Publisher.newBuilder(TopicName.of(project, topic))
              .setChannelProvider(channels)
              .setCredentialsProvider(NoCredentialsProvider.create())
              .setEnableMessageOrdering(true)
              .build();
      try {
        PubsubMessage.Builder msg =
            PubsubMessage.newBuilder()
                .setData(ByteString.copyFrom(data))
                .putAllAttributes(attributes);
        if (orderingKey != null && !orderingKey.isEmpty()) {
          msg.setOrderingKey(orderingKey);
        }
        return publisher.publish(msg.build()).get(30, TimeUnit.SECONDS);
      } finally {
        publisher.shutdown();
        publisher.awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("publish to " + topic + " failed", e);
    }
  }

  /** A subscription of this test on {@code topic}; only messages published after it count. */
  public Reader subscribe(String topic) {
    String name = "test-" + UUID.randomUUID().toString().substring(0, 12);
    subscriptions.createSubscription(
        SubscriptionName.of(project, name),
        TopicName.of(project, topic),
        PushConfig.getDefaultInstance(),
        30);
    return new Reader(SubscriptionName.of(project, name).toString());
  }

  /** Reads an existing subscription (e.g. the DLQ's). */
  public Reader reader(String subscription) {
    return new Reader(SubscriptionName.of(project, subscription).toString());
  }

  /** Pulls and acknowledges messages of one subscription, keeping all it has seen. */
  public final class Reader {
    private final String subscription;
    private final List<Received> seen = new CopyOnWriteArrayList<>();

    private Reader(String subscription) {
      this.subscription = subscription;
    }

    /** Pulls whatever is there now (never blocks on an empty subscription) and returns all seen. */
    @SuppressWarnings("deprecation") // returnImmediately: the emulator blocks ~59 s without it.
    public List<Received> poll() {
      List<ReceivedMessage> batch =
          subscriptions
              .pull(
                  PullRequest.newBuilder()
                      .setSubscription(subscription)
                      .setMaxMessages(500)
                      .setReturnImmediately(true)
                      .build())
              .getReceivedMessagesList();
      if (!batch.isEmpty()) {
        subscriptions.acknowledge(
            AcknowledgeRequest.newBuilder()
                .setSubscription(subscription)
                .addAllAckIds(batch.stream().map(ReceivedMessage::getAckId).toList())
                .build());
        for (ReceivedMessage m : batch) {
          seen.add(
              new Received(
                  m.getMessage().getMessageId(),
                  m.getMessage().getAttributesMap(),
                  m.getMessage().getData().toStringUtf8(),
                  m.getMessage().getOrderingKey()));
        }
      }
      return List.copyOf(seen);
    }

    /** Messages seen so far whose attribute has the given value. */
    public List<Received> where(String attribute, String value) {
      return poll().stream().filter(r -> value.equals(r.attributes().get(attribute))).toList();
    }
  }

  @Override
  public void close() throws Exception {
    subscriptions.close();
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }
}
