package dev.orgprovisioner.ledger;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.Lease;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.Ledger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The control state in Firestore, assembled from its parts: idempotency keys, job claims, fenced
 * job writes, job reads, outbox and reports (collections in {@link LedgerStore}).
 */
public final class FirestoreLedger implements Ledger {

  private final FirestoreIdempotencyKeys keys;
  private final FirestoreJobClaims claims;
  private final FirestoreLeasedWrites leased;
  private final FirestoreJobReads reads;
  private final FirestoreOutbox outbox;
  private final FirestoreReports reports;

  public FirestoreLedger(Firestore db, LedgerSettings settings) {
    LedgerStore store = new LedgerStore(db, settings);
    this.keys = new FirestoreIdempotencyKeys(store);
    this.claims = new FirestoreJobClaims(store, keys);
    this.leased = new FirestoreLeasedWrites(store);
    this.reads = new FirestoreJobReads(store);
    this.outbox = new FirestoreOutbox(store);
    this.reports = new FirestoreReports(store);
  }

  /** The document id of an idempotency scope (tests look keys up by it). */
  public static String keyId(String scope) {
    return LedgerDocs.hashId(scope);
  }

  @Override
  public List<ClaimResult> claimAll(List<CommandEnvelope> envelopes, Instant now) {
    return keys.claimAll(envelopes, now);
  }

  @Override
  public Optional<Job> job(String jobId) {
    return reads.job(jobId);
  }

  @Override
  public JobPage jobs(JobQuery query) {
    return reads.jobs(query);
  }

  @Override
  public long countJobs(JobState state) {
    return reads.countJobs(state);
  }

  @Override
  public List<Job> claimable(Instant now, int limit) {
    return claims.claimable(now, limit);
  }

  @Override
  public Optional<Job> claim(String jobId, String owner, Instant now) {
    return claims.claim(jobId, owner, now);
  }

  @Override
  public Optional<Job> claimNext(String lockKey, String owner, Instant now) {
    return claims.claimNext(lockKey, owner, now);
  }

  @Override
  public RetryResult retryFailed(String jobId, Instant now) {
    return claims.retryFailed(jobId, now);
  }

  @Override
  public Optional<Instant> heartbeat(Lease lease, Instant now) {
    return leased.heartbeat(lease, now);
  }

  @Override
  public boolean recordStep(Lease lease, String step, Instant now) {
    return leased.recordStep(lease, step, now);
  }

  @Override
  public Optional<Map<String, String>> remember(
      Lease lease, Map<String, String> facts, Instant now) {
    return leased.remember(lease, facts, now);
  }

  @Override
  public boolean finish(
      Lease lease, JobState terminal, ErrorInfo error, OutboxEvent event, Instant now) {
    return leased.finish(lease, terminal, error, event, now);
  }

  @Override
  public boolean retryLater(Lease lease, Instant nextAttemptAt, ErrorInfo error, Instant now) {
    return leased.retryLater(lease, nextAttemptAt, error, now);
  }

  @Override
  public boolean postpone(Lease lease, Instant dueAt, Instant now) {
    return leased.postpone(lease, dueAt, now);
  }

  @Override
  public void storeEvents(List<OutboxEvent> events) {
    outbox.storeEvents(events);
  }

  @Override
  public List<OutboxEvent> unpublished(int limit) {
    return outbox.unpublished(limit);
  }

  @Override
  public List<OutboxEvent> recentOf(String orderingKey, int limit) {
    return outbox.recentOf(orderingKey, limit);
  }

  @Override
  public void markPublished(String eventId) {
    outbox.markPublished(eventId);
  }

  @Override
  public Optional<OutboxEvent> event(String eventId) {
    return outbox.event(eventId);
  }

  @Override
  public void saveReport(String name, String json, Instant at) {
    reports.saveReport(name, json, at);
  }

  @Override
  public Optional<String> report(String name) {
    return reports.report(name);
  }
}
