package dev.orgprovisioner.ledger;

import static dev.orgprovisioner.ledger.LedgerDocs.*;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.Transaction;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.NextInLine;
import dev.orgprovisioner.execution.port.JobQueue.RetryOutcome;
import dev.orgprovisioner.execution.port.JobQueue.RetryResult;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Taking jobs in Firestore: finding claimable ones, claiming one with its org lock, re-queuing. */
final class FirestoreJobClaims {

  /** Onboarding, customer sync, drift work (see {@code CommandEnvelope#priority}). */
  private static final int[] KNOWN_PRIORITIES = {1, 2, 3};

  private final LedgerStore store;
  private final FirestoreIdempotencyKeys keys;

  FirestoreJobClaims(LedgerStore store, FirestoreIdempotencyKeys keys) {
    this.store = store;
    this.keys = keys;
  }

  List<Job> claimable(Instant now, int limit) {
    Map<String, Job> found = new LinkedHashMap<>();
    for (QueryDocumentSnapshot doc :
        store
            .call(
                "find lapsed leases",
                store
                    .jobs
                    .whereEqualTo(STATE, JobState.RUNNING.name())
                    .whereLessThanOrEqualTo(LEASE_EXPIRES_AT, ts(now))
                    .limit(limit)
                    .get())
            .getDocuments()) {
      found.put(doc.getId(), toJob(doc));
    }
    for (QueryDocumentSnapshot doc :
        store
            .call(
                "find due jobs",
                store
                    .jobs
                    .whereEqualTo(STATE, JobState.QUEUED.name())
                    .whereLessThanOrEqualTo(NEXT_ATTEMPT_AT, ts(now))
                    .orderBy(NEXT_ATTEMPT_AT)
                    .limit(limit * 4)
                    .get())
            .getDocuments()) {
      found.put(doc.getId(), toJob(doc));
    }
    // The oldest due jobs may all be of a low priority: read the due jobs of each known priority
    // too, so a newer urgent job is never hidden behind a backlog.
    for (int priority : KNOWN_PRIORITIES) {
      for (QueryDocumentSnapshot doc :
          store
              .call(
                  "find due jobs of a priority",
                  store
                      .jobs
                      .whereEqualTo(STATE, JobState.QUEUED.name())
                      .whereEqualTo(PRIORITY, priority)
                      .whereLessThanOrEqualTo(NEXT_ATTEMPT_AT, ts(now))
                      .orderBy(NEXT_ATTEMPT_AT)
                      .limit(limit)
                      .get())
              .getDocuments()) {
        found.put(doc.getId(), toJob(doc));
      }
    }
    return found.values().stream().sorted(JobOrder.BEST_FIRST).limit(limit).toList();
  }

  /** Claims the job next in line for {@code jobId}'s lock key, when that job is claimable. */
  Optional<Job> claim(String jobId, String owner, Instant now) {
    DocumentReference jobRef = store.jobs.document(jobId);
    return store.transaction(
        "claim job",
        tx -> {
          DocumentSnapshot doc = tx.get(jobRef).get();
          if (!doc.exists() || !toJob(doc).isClaimable(now)) {
            return Optional.<Job>empty();
          }
          return claimNextIn(tx, toJob(doc).lockKey(), owner, now);
        });
  }

  Optional<Job> claimNext(String lockKey, String owner, Instant now) {
    return store.transaction("claim next job", tx -> claimNextIn(tx, lockKey, owner, now));
  }

  /**
   * Reads the key's open jobs and its lock in the transaction, so no job of the key can be claimed
   * out of line by a concurrent claim, and leases the one next in line if the lock is free.
   */
  private Optional<Job> claimNextIn(Transaction tx, String lockKey, String owner, Instant now)
      throws Exception {
    Map<String, DocumentSnapshot> open = new HashMap<>();
    for (QueryDocumentSnapshot doc :
        tx.get(
                store
                    .jobs
                    .whereEqualTo(LOCK_KEY, lockKey)
                    .whereIn(STATE, List.of(JobState.QUEUED.name(), JobState.RUNNING.name())))
            .get()
            .getDocuments()) {
      open.put(doc.getId(), doc);
    }
    Optional<Job> next = NextInLine.of(open.values().stream().map(LedgerDocs::toJob).toList(), now);
    if (next.isEmpty()) {
      return Optional.empty();
    }
    Job job = next.get();
    DocumentReference lockRef = store.locks.document(lockDocId(lockKey));
    DocumentSnapshot lock = tx.get(lockRef).get();
    // Free: no lock, a lapsed one, or one this job left in an earlier epoch.
    boolean free =
        !lock.exists()
            || expired(lock.getTimestamp(LEASE_EXPIRES_AT), now)
            || job.id().equals(lock.getString(JOB_ID));
    if (!free) {
      return Optional.empty();
    }
    Instant until = now.plus(store.settings.leaseDuration());
    long epoch = job.epoch() + 1;
    Map<String, Object> update = new HashMap<>();
    update.put(STATE, JobState.RUNNING.name());
    update.put(LEASE_OWNER, owner);
    update.put(LEASE_EXPIRES_AT, ts(until));
    update.put(EPOCH, epoch);
    update.put(ATTEMPTS, job.attempts() + 1);
    update.put(UPDATED_AT, ts(now));
    tx.update(store.jobs.document(job.id()), update);
    tx.set(lockRef, lockDoc(job.id(), epoch, owner, until));
    return Optional.of(merged(open.get(job.id()), update));
  }

  RetryResult retryFailed(String jobId, Instant now) {
    DocumentReference jobRef = store.jobs.document(jobId);
    return store.transaction(
        "retry job",
        tx -> {
          DocumentSnapshot doc = tx.get(jobRef).get();
          if (!doc.exists()) {
            return new RetryResult(RetryOutcome.NOT_FOUND, null);
          }
          Job job = toJob(doc);
          if (job.state() != JobState.FAILED) {
            return new RetryResult(RetryOutcome.NOT_FAILED, job);
          }
          DocumentReference keyRef = store.keys.document(job.keyId());
          DocumentSnapshot key = tx.get(keyRef).get();
          boolean keyAlive = key.exists() && !expired(key.getTimestamp(EXPIRES_AT), now);
          if (keyAlive && !jobId.equals(key.getString(JOB_ID))) {
            return new RetryResult(RetryOutcome.KEY_TAKEN, job);
          }
          Map<String, Object> update = new HashMap<>();
          update.put(STATE, JobState.QUEUED.name());
          update.put(ATTEMPTS, 0);
          update.put(NEXT_ATTEMPT_AT, ts(now));
          update.put(LEASE_OWNER, null);
          update.put(LEASE_EXPIRES_AT, null);
          update.put(TERMINAL_EVENT_ID, null);
          update.put(EXPIRES_AT, null);
          update.put(RETRIED_AT, ts(now));
          update.put(UPDATED_AT, ts(now));
          Map<String, Object> write = new HashMap<>(update);
          write.put(MANUAL_RETRIES, FieldValue.increment(1));
          tx.update(jobRef, write);
          // The key answers "in flight" again until the retried job finishes; its TTL restarts so
          // duplicates during the re-run are still recognised.
          tx.set(
              keyRef,
              keys.keyDoc(
                  FirestoreIdempotencyKeys.scopeOf(job),
                  job,
                  keyAlive ? key.get(CREATED_AT) : null,
                  now));
          return new RetryResult(RetryOutcome.RETRIED, merged(doc, update));
        });
  }
}
