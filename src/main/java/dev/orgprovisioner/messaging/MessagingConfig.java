package dev.orgprovisioner.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Names and policies of the Pub/Sub topology the worker uses. */
@ConfigMapping(prefix = "messaging")
public interface MessagingConfig {

  /** Google Cloud project holding the topics and subscriptions. */
  @WithDefault("local-project")
  String projectId();

  /**
   * host:port of a Pub/Sub emulator; unset means Google Cloud with Application Default Credentials.
   */
  Optional<String> emulatorHost();

  /** Topic the commands are published to. */
  @WithDefault("provisioning-commands")
  String commandsTopic();

  /** Subscription the worker pulls commands from (ordered, with a dead-letter policy). */
  @WithDefault("provisioning-commands-worker")
  String commandsSubscription();

  /** Dead-letter topic for commands that failed too often or were rejected. */
  @WithDefault("provisioning-commands-dlq")
  String dlqTopic();

  /** Subscription on the dead-letter topic, read by operations to inspect and replay. */
  @WithDefault("provisioning-commands-dlq-sub")
  String dlqSubscription();

  /** Topic the completion events are published to. */
  @WithDefault("provisioning-events")
  String eventsTopic();

  /** Create missing topics and subscriptions at start (local runs and tests; Terraform in prod). */
  @WithDefault("false")
  boolean createTopology();

  /** Deliveries of a command before Pub/Sub moves it to the dead-letter topic (5..100). */
  @WithDefault("5")
  int maxDeliveryAttempts();

  /** Ack deadline of the commands subscription; the client extends it while a command runs. */
  @WithDefault("60")
  int ackDeadlineSeconds();

  /** Shortest delay before Pub/Sub redelivers a nacked command. */
  @WithDefault("1")
  int minRetryBackoffSeconds();

  /** Longest delay before Pub/Sub redelivers a nacked command (backoff grows up to it). */
  @WithDefault("60")
  int maxRetryBackoffSeconds();

  /** Command messages handled at once (messages of one org are always handled in order). */
  @WithDefault("8")
  int intakeConcurrency();

  /**
   * How long the intake keeps retrying a command while Firestore is unreachable before it nacks it;
   * holding the message saves its delivery attempts for real failures.
   */
  @WithDefault("30")
  int intakeRetryWindowSeconds();

  /**
   * Longest a command message may take from its decision to its ack (dead letter, events); past it
   * the message is nacked and comes back, so a publish that never answers cannot stall its org.
   */
  @WithDefault("2m")
  java.time.Duration handlingTimeout();
}
