package dev.orgprovisioner.messaging;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.protobuf.Duration;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.ExpirationPolicy;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.RetryPolicy;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.TopicName;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Creates the worker's Pub/Sub topics and subscriptions where they are missing and leaves existing
 * ones untouched (Terraform owns them in production).
 */
public final class PubSubTopology {

  private static final Logger LOG = Logger.getLogger(PubSubTopology.class);
  private static final int DLQ_RETENTION_SECONDS = 7 * 24 * 3600;

  private final MessagingConfig config;

  public PubSubTopology(MessagingConfig config) {
    this.config = config;
  }

  /**
   * Creates what is missing, with {@code eventSubscriptions} (other readers of the events topic,
   * e.g. the notifier's); returns the names of the resources it created.
   */
  public List<String> ensure(String... eventSubscriptions) {
    List<String> created = new ArrayList<>();
    try (PubSubTransport transport = PubSubTransport.create(config.emulatorHost());
        TopicAdminClient topics = transport.topicAdmin();
        SubscriptionAdminClient subscriptions = transport.subscriptionAdmin()) {
      // The dead-letter topic must exist before a subscription can name it.
      createTopic(topics, topic(config.commandsTopic()), created);
      createTopic(topics, topic(config.dlqTopic()), created);
      createTopic(topics, topic(config.eventsTopic()), created);
      createSubscription(subscriptions, commandsSubscription(), created);
      createSubscription(subscriptions, dlqSubscription(), created);
      for (String id : eventSubscriptions) {
        createSubscription(subscriptions, eventsSubscription(id), created);
      }
    }
    if (created.isEmpty()) {
      LOG.debug("Pub/Sub topology already complete");
    } else {
      LOG.infof("Pub/Sub topology: created %s", created);
    }
    return created;
  }

  /** The commands subscription as it is created: ordered, dead-lettering, with retry backoff. */
  public Subscription commandsSubscription() {
    return Subscription.newBuilder()
        .setName(subscription(config.commandsSubscription()).toString())
        .setTopic(topic(config.commandsTopic()).toString())
        .setEnableMessageOrdering(true)
        .setAckDeadlineSeconds(config.ackDeadlineSeconds())
        .setDeadLetterPolicy(
            DeadLetterPolicy.newBuilder()
                .setDeadLetterTopic(topic(config.dlqTopic()).toString())
                .setMaxDeliveryAttempts(config.maxDeliveryAttempts()))
        .setRetryPolicy(
            RetryPolicy.newBuilder()
                .setMinimumBackoff(seconds(config.minRetryBackoffSeconds()))
                .setMaximumBackoff(seconds(config.maxRetryBackoffSeconds())))
        // An empty policy means never expire: the default deletes a subscription idle for 31 days.
        .setExpirationPolicy(ExpirationPolicy.getDefaultInstance())
        .build();
  }

  /** The dead-letter subscription as it is created: retains messages as long as Pub/Sub allows. */
  public Subscription dlqSubscription() {
    return Subscription.newBuilder()
        .setName(subscription(config.dlqSubscription()).toString())
        .setTopic(topic(config.dlqTopic()).toString())
        .setAckDeadlineSeconds(config.ackDeadlineSeconds())
        .setMessageRetentionDuration(seconds(DLQ_RETENTION_SECONDS))
        .setExpirationPolicy(ExpirationPolicy.getDefaultInstance())
        .build();
  }

  /**
   * A subscription of another reader on the events topic (unordered; a nacked event comes back
   * after a backoff of 10 s to 10 min, so a reader whose store is down is not hammered).
   */
  public Subscription eventsSubscription(String id) {
    return Subscription.newBuilder()
        .setName(subscription(id).toString())
        .setTopic(topic(config.eventsTopic()).toString())
        .setAckDeadlineSeconds(config.ackDeadlineSeconds())
        .setRetryPolicy(
            RetryPolicy.newBuilder().setMinimumBackoff(seconds(10)).setMaximumBackoff(seconds(600)))
        .setExpirationPolicy(ExpirationPolicy.getDefaultInstance())
        .build();
  }

  private TopicName topic(String id) {
    return TopicName.of(config.projectId(), id);
  }

  private ProjectSubscriptionName subscription(String id) {
    return ProjectSubscriptionName.of(config.projectId(), id);
  }

  private static void createTopic(TopicAdminClient topics, TopicName name, List<String> created) {
    try {
      topics.createTopic(name);
      created.add(name.toString());
    } catch (AlreadyExistsException e) {
      // Idempotent: an existing topic is kept as it is.
    }
  }

  private static void createSubscription(
      SubscriptionAdminClient subscriptions, Subscription subscription, List<String> created) {
    try {
      subscriptions.createSubscription(subscription);
      created.add(subscription.getName());
    } catch (AlreadyExistsException e) {
      // Idempotent: an existing subscription keeps its settings; Terraform reconciles them.
    }
  }

  private static Duration seconds(int seconds) {
    return Duration.newBuilder().setSeconds(seconds).build();
  }
}
