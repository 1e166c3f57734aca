package dev.orgprovisioner.execution.port;

/**
 * The whole transactional control state (Firestore in production, {@code InMemoryLedger} in tests):
 * one object for wiring; code depends on the narrow port it needs. Methods throw {@link
 * LedgerUnavailableException} when the store cannot be reached in time (transient) and {@link
 * LedgerRejectedException} when it refuses a call for good.
 */
public interface Ledger extends IdempotencyKeys, JobQueue, Outbox, Reports {}
