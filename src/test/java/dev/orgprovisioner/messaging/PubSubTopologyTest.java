package dev.orgprovisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.TopicName;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Topology creation against the Pub/Sub emulator, read back with the admin client. */
class PubSubTopologyTest {

  private static PubSubEmulatorFixture pubsub;

  @BeforeAll
  static void connect() {
    pubsub = PubSubEmulatorFixture.shared();
  }

  @AfterAll
  static void disconnect() {
    pubsub.close();
  }

  @Test
  void ensure_createsEverythingOnceAndIsIdempotent() {
    String topo = PubSubEmulatorFixture.unique("topo");
    MessagingConfig config = pubsub.topologyConfig(topo, Map.of());
    PubSubTopology topology = new PubSubTopology(config);

    List<String> first = topology.ensure();
    List<String> second = topology.ensure();

    assertThat(first)
        .containsExactlyInAnyOrder(
            topic(topo + "-commands"),
            topic(topo + "-commands-dlq"),
            topic(topo + "-events"),
            subscription(topo + "-commands-worker"),
            subscription(topo + "-commands-dlq-sub"));
    assertThat(second).isEmpty();
  }

  @Test
  void commandsSubscription_isOrderedWithDeadLetterRetryPolicyAndAckDeadline() {
    String policy = PubSubEmulatorFixture.unique("policy");
    MessagingConfig config =
        pubsub.topologyConfig(policy, Map.of("messaging.max-delivery-attempts", "7"));
    new PubSubTopology(config).ensure();

    Subscription commands =
        pubsub.subscriptions.getSubscription(
            ProjectSubscriptionName.of(PubSubEmulatorFixture.PROJECT, policy + "-commands-worker"));

    assertThat(commands.getTopic()).isEqualTo(topic(policy + "-commands"));
    assertThat(commands.getEnableMessageOrdering()).isTrue();
    assertThat(commands.getDeadLetterPolicy().getDeadLetterTopic())
        .isEqualTo(topic(policy + "-commands-dlq"));
    assertThat(commands.getDeadLetterPolicy().getMaxDeliveryAttempts()).isEqualTo(7);
    assertThat(commands.getRetryPolicy().getMinimumBackoff().getSeconds()).isEqualTo(1);
    assertThat(commands.getRetryPolicy().getMaximumBackoff().getSeconds()).isEqualTo(60);
    assertThat(commands.getAckDeadlineSeconds()).isEqualTo(60);
    assertThat(commands.hasExpirationPolicy()).isTrue();
    assertThat(commands.getExpirationPolicy().hasTtl()).as("never expires").isFalse();
    Subscription dlq =
        pubsub.subscriptions.getSubscription(
            ProjectSubscriptionName.of(
                PubSubEmulatorFixture.PROJECT, policy + "-commands-dlq-sub"));
    assertThat(dlq.getTopic()).isEqualTo(topic(policy + "-commands-dlq"));
    assertThat(dlq.getMessageRetentionDuration().getSeconds()).isEqualTo(7 * 24 * 3600);
  }

  @Test
  void existingSubscription_isLeftAsItIs() {
    String prefix = PubSubEmulatorFixture.unique("kept");
    MessagingConfig config = pubsub.topologyConfig(prefix, Map.of());
    TopicName commands = pubsub.createTopic(prefix + "-commands");
    pubsub.createSubscription(prefix + "-commands-worker", commands);

    List<String> created = new PubSubTopology(config).ensure();

    assertThat(created)
        .doesNotContain(subscription(prefix + "-commands-worker"), topic(prefix + "-commands"));
    Subscription kept =
        pubsub.subscriptions.getSubscription(
            ProjectSubscriptionName.of(PubSubEmulatorFixture.PROJECT, prefix + "-commands-worker"));
    assertThat(kept.hasDeadLetterPolicy()).isFalse();
  }

  @Test
  void defaults_matchTheDocumentedNames() {
    MessagingConfig defaults = dev.orgprovisioner.testing.ConfigDefaults.of(MessagingConfig.class);

    assertThat(defaults.projectId()).isEqualTo("local-project");
    assertThat(defaults.emulatorHost()).isEmpty();
    assertThat(defaults.commandsTopic()).isEqualTo("provisioning-commands");
    assertThat(defaults.commandsSubscription()).isEqualTo("provisioning-commands-worker");
    assertThat(defaults.dlqTopic()).isEqualTo("provisioning-commands-dlq");
    assertThat(defaults.dlqSubscription()).isEqualTo("provisioning-commands-dlq-sub");
    assertThat(defaults.eventsTopic()).isEqualTo("provisioning-events");
    assertThat(defaults.createTopology()).isFalse();
    assertThat(defaults.maxDeliveryAttempts()).isEqualTo(5);
    assertThat(defaults.ackDeadlineSeconds()).isEqualTo(60);
    assertThat(defaults.minRetryBackoffSeconds()).isEqualTo(1);
    assertThat(defaults.maxRetryBackoffSeconds()).isEqualTo(60);
  }

  private static String topic(String id) {
    return TopicName.of(PubSubEmulatorFixture.PROJECT, id).toString();
  }

  private static String subscription(String id) {
    return ProjectSubscriptionName.of(PubSubEmulatorFixture.PROJECT, id).toString();
  }
}
