package dev.orgprovisioner.messaging;

import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.TopicName;
import dev.orgprovisioner.emulator.EmulatorProcess;
import dev.orgprovisioner.emulator.Emulators;
import dev.orgprovisioner.testing.SharedEmulators;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.Config;

/**
 * A Pub/Sub emulator (the shared one, or one of its own) with admin clients and channel settings.
 */
final class PubSubEmulatorFixture implements AutoCloseable {

  static final String PROJECT = "test-project";
  private static final AtomicInteger NAMES = new AtomicInteger();

  final String hostPort;
  private final AutoCloseable emulator;
  final PubSubTransport transport;
  final TopicAdminClient topics;
  final SubscriptionAdminClient subscriptions;

  PubSubEmulatorFixture(String hostPort, AutoCloseable emulator) {
    this.hostPort = hostPort;
    this.emulator = emulator;
    this.transport = PubSubTransport.create(Optional.of(hostPort));
    this.topics = transport.topicAdmin();
    this.subscriptions = transport.subscriptionAdmin();
  }

  static PubSubEmulatorFixture start() {
    EmulatorProcess emulator = Emulators.startPubSub();
    return new PubSubEmulatorFixture(emulator.hostPort(), emulator);
  }

  /**
   * Clients of the JVM's shared emulator (names from {@link #unique} keep tests apart); closing the
   * fixture closes the clients only.
   */
  static PubSubEmulatorFixture shared() {
    return new PubSubEmulatorFixture(SharedEmulators.pubSub().hostPort(), () -> {});
  }

  /** A topic or subscription id no other test uses. */
  static String unique(String prefix) {
    return prefix + "-" + NAMES.incrementAndGet();
  }

  TopicName createTopic(String id) {
    TopicName topic = TopicName.of(PROJECT, id);
    topics.createTopic(topic);
    return topic;
  }

  /** A plain subscription: no ordering, no dead-letter policy. */
  ProjectSubscriptionName createSubscription(String id, TopicName topic) {
    ProjectSubscriptionName subscription = ProjectSubscriptionName.of(PROJECT, id);
    subscriptions.createSubscription(subscription, topic, PushConfig.getDefaultInstance(), 10);
    return subscription;
  }

  /** The topology's settings with names unique to one test. */
  MessagingConfig topologyConfig(String prefix, Map<String, String> overrides) {
    return topologyConfig(hostPort, prefix, overrides);
  }

  /**
   * The topology's settings on the emulator at {@code hostPort}, names prefixed by {@code prefix}.
   */
  static MessagingConfig topologyConfig(
      String hostPort, String prefix, Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>();
    values.put("messaging.project-id", PROJECT);
    values.put("messaging.emulator-host", hostPort);
    values.put("messaging.commands-topic", prefix + "-commands");
    values.put("messaging.commands-subscription", prefix + "-commands-worker");
    values.put("messaging.dlq-topic", prefix + "-commands-dlq");
    values.put("messaging.dlq-subscription", prefix + "-commands-dlq-sub");
    values.put("messaging.events-topic", prefix + "-events");
    values.putAll(overrides);
    SmallRyeConfig config =
        dev.orgprovisioner.testing.ConfigDefaults.quarkusConverters(new SmallRyeConfigBuilder())
            .withMapping(MessagingConfig.class)
            .withSources(new PropertiesConfigSource(values, "test", 500))
            .build();
    return config.getConfigMapping(MessagingConfig.class);
  }

  /** An incoming channel's attributes, as SmallRye passes them to the connector. */
  Config incoming(String channel, String subscription, Map<String, String> extra) {
    return incoming(hostPort, channel, subscription, extra);
  }

  static Config incoming(
      String hostPort, String channel, String subscription, Map<String, String> extra) {
    Map<String, String> values = channelBase(hostPort, channel);
    values.put("subscription", subscription);
    values.putAll(extra);
    return config(values);
  }

  /** An outgoing channel's attributes, as SmallRye passes them to the connector. */
  Config outgoing(String channel, String topic, Map<String, String> extra) {
    return outgoing(hostPort, channel, topic, extra);
  }

  static Config outgoing(String hostPort, String channel, String topic, Map<String, String> extra) {
    Map<String, String> values = channelBase(hostPort, channel);
    values.put("topic", topic);
    values.putAll(extra);
    return config(values);
  }

  /** Pulls what is there now (never blocks on an empty subscription) and acks it. */
  @SuppressWarnings("deprecation") // returnImmediately: otherwise an empty pull blocks ~59 s.
  List<ReceivedMessage> pullNow(String subscriptionId) {
    String subscription = ProjectSubscriptionName.of(PROJECT, subscriptionId).toString();
    List<ReceivedMessage> received =
        subscriptions
            .pull(
                PullRequest.newBuilder()
                    .setSubscription(subscription)
                    .setMaxMessages(100)
                    .setReturnImmediately(true)
                    .build())
            .getReceivedMessagesList();
    if (!received.isEmpty()) {
      subscriptions.acknowledge(
          AcknowledgeRequest.newBuilder()
              .setSubscription(subscription)
              .addAllAckIds(received.stream().map(ReceivedMessage::getAckId).toList())
              .build());
    }
    return received;
  }

  @Override
  public void close() {
    subscriptions.close();
    topics.close();
    transport.close();
    try {
      emulator.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the Pub/Sub emulator", e);
    }
  }

  private static Map<String, String> channelBase(String hostPort, String channel) {
    Map<String, String> values = new HashMap<>();
    values.put("channel-name", channel);
    values.put("connector", PubSubConnector.NAME);
    values.put("project-id", PROJECT);
    values.put("emulator-host", hostPort);
    values.put("shutdown-timeout", "5s");
    return values;
  }

  private static Config config(Map<String, String> values) {
    return new SmallRyeConfigBuilder()
        .withSources(new PropertiesConfigSource(values, "channel", 500))
        .build();
  }
}
