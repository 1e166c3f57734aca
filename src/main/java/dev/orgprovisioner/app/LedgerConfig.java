package dev.orgprovisioner.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Where the control state (idempotency keys, jobs, outbox) lives: Firestore. */
@ConfigMapping(prefix = "ledger")
public interface LedgerConfig {

  /** GCP project of the Firestore database. */
  @WithDefault("local-project")
  String projectId();

  /** Firestore database id. */
  @WithDefault("(default)")
  String databaseId();

  /** host:port of the Firestore emulator; unset means real Firestore with default credentials. */
  Optional<String> emulatorHost();

  /** Prefix of every collection name, to keep environments or test runs apart. */
  @WithDefault("provisioner_")
  String collectionPrefix();

  /** How long an idempotency key is remembered (the TTL policy deletes it afterwards). */
  @WithDefault("7d")
  Duration keyTtl();

  /** How long a job lease lasts without a heartbeat before another worker may take the job. */
  @WithDefault("90s")
  Duration leaseDuration();

  /** Attempts of a contended transaction before it counts as unavailable. */
  @WithDefault("10")
  int transactionAttempts();

  /** Timeout of one Firestore call; past it the ledger counts as unavailable. */
  @WithDefault("10s")
  Duration callTimeout();

  /** How long a finished job is kept (its {@code expires_at}; the TTL policy deletes it after). */
  @WithDefault("30d")
  Duration jobRetention();

  /** How long a published event stays in the outbox before the TTL policy deletes it. */
  @WithDefault("7d")
  Duration outboxRetention();
}
