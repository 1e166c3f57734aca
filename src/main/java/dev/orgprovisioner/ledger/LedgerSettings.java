package dev.orgprovisioner.ledger;

import java.time.Duration;

/**
 * Tunables of a ledger adapter (defaults: {@code app/LedgerConfig}).
 *
 * @param collectionPrefix Firestore collection names start with it (keeps environments apart)
 * @param keyTtl how long an idempotency key is remembered
 * @param leaseDuration how long a claim or heartbeat leases a job
 * @param transactionAttempts Firestore attempts of a contended transaction
 * @param callTimeout deadline of every Firestore call
 * @param jobRetention how long a finished job is kept before the TTL policy deletes it
 * @param outboxRetention how long a published event is kept before the TTL policy deletes it
 */
public record LedgerSettings(
    String collectionPrefix,
    Duration keyTtl,
    Duration leaseDuration,
    int transactionAttempts,
    Duration callTimeout,
    Duration jobRetention,
    Duration outboxRetention) {}
