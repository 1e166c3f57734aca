package dev.orgprovisioner.cli;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.ledger.FirestoreLedger;
import dev.orgprovisioner.messaging.DeadLetterQueue;
import dev.orgprovisioner.messaging.PubSubTransport;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the ops commands find Pub/Sub and Firestore: options whose defaults are the environment
 * variables the worker reads for the same settings (MessagingConfig and LedgerConfig keys in
 * env-var form), so an operator's shell configured like the worker needs no options.
 */
public final class Connection {

  @Option(
      names = "--project",
      defaultValue = "${env:MESSAGING_PROJECT_ID:-local-project}",
      description = "GCP project of the topics and subscriptions (env MESSAGING_PROJECT_ID).")
  String project;

  @Option(
      names = "--pubsub-emulator",
      paramLabel = "host:port",
      defaultValue = "${env:MESSAGING_EMULATOR_HOST:-${env:PUBSUB_EMULATOR_HOST:-}}",
      description = "Pub/Sub emulator; unset: Google Cloud (env MESSAGING_EMULATOR_HOST).")
  String pubsubEmulator;

  @Option(
      names = "--firestore-emulator",
      paramLabel = "host:port",
      defaultValue = "${env:LEDGER_EMULATOR_HOST:-${env:FIRESTORE_EMULATOR_HOST:-}}",
      description = "Firestore emulator; unset: Google Cloud (env LEDGER_EMULATOR_HOST).")
  String firestoreEmulator;

  @Option(
      names = "--firestore-project",
      defaultValue = "${env:LEDGER_PROJECT_ID:-}",
      description =
          "GCP project of the Firestore database; default: --project (env LEDGER_PROJECT_ID).")
  String firestoreProject;

  @Option(
      names = "--database",
      defaultValue = "${env:LEDGER_DATABASE_ID:-(default)}",
      description = "Firestore database id (env LEDGER_DATABASE_ID).")
  String database;

  @Option(
      names = "--collection-prefix",
      defaultValue = "${env:LEDGER_COLLECTION_PREFIX:-provisioner_}",
      description = "Prefix of the worker's Firestore collections (env LEDGER_COLLECTION_PREFIX).")
  String collectionPrefix;

  @Option(
      names = "--commands-topic",
      defaultValue = "${env:MESSAGING_COMMANDS_TOPIC:-provisioning-commands}",
      description = "Topic commands are published to (env MESSAGING_COMMANDS_TOPIC).")
  String commandsTopic;

  @Option(
      names = "--dlq-subscription",
      defaultValue = "${env:MESSAGING_DLQ_SUBSCRIPTION:-provisioning-commands-dlq-sub}",
      description = "Subscription on the dead-letter topic (env MESSAGING_DLQ_SUBSCRIPTION).")
  String dlqSubscription;

  Optional<String> pubsubEmulatorHost() {
    return Optional.ofNullable(pubsubEmulator).map(String::strip).filter(s -> !s.isEmpty());
  }

  PubSubTransport pubsub() {
    return PubSubTransport.create(pubsubEmulatorHost());
  }

  DeadLetterQueue deadLetterQueue() {
    return DeadLetterQueue.open(pubsubEmulatorHost(), project, dlqSubscription, commandsTopic);
  }

  Firestore firestore() {
    FirestoreOptions.Builder builder =
        FirestoreOptions.newBuilder()
            .setProjectId(
                firestoreProject == null || firestoreProject.isBlank() ? project : firestoreProject)
            .setDatabaseId(database);
    // Only the emulator host: NoCredentials would dial the real endpoint (docs/stack-facts.md).
    Optional.ofNullable(firestoreEmulator)
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .ifPresent(builder::setEmulatorHost);
    return builder.build().getService();
  }

  /**
   * The worker's ledger; the TTL and lease are the worker's defaults (a retry restarts the TTL).
   */
  static Ledger ledger(Firestore db, String collectionPrefix) {
    return new FirestoreLedger(
        db,
        new dev.orgprovisioner.ledger.LedgerSettings(
            collectionPrefix,
            Duration.ofDays(7),
            Duration.ofSeconds(60),
            10,
            Duration.ofSeconds(30),
            Duration.ofDays(30),
            Duration.ofDays(7)));
  }
}
