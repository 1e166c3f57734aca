package dev.orgprovisioner.ledger;

import static dev.orgprovisioner.ledger.LedgerDocs.*;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.NextInLine;
import dev.orgprovisioner.execution.port.JobQueue.RetryOutcome;
import dev.orgprovisioner.execution.port.JobQueue.RetryResult;
import java.time.Instant;
import java.util.ArrayList;
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
    DocumentSnapshot doc = store.call("read job", store.jobs.document(jobId).get());
    if (!doc.exists() || !toJob(doc).isClaimable(now)) {
      return Optional.empty();
    }
    return claimNext(toJob(doc).lockKey(), owner, now);
  }

  /**
   * Finds the key's job next in line with a query outside any transaction (the emulator locks a
   * transaction's query results, and competing claims then serialise behind its lock timeout), and
   * claims it in a transaction that reads the job and the lock again. A stale read only errs
   * towards claiming nothing: a job of the key created after the query is later in line than any it
   * saw.
   */
  Optional<Job> claimNext(String lockKey, String owner, Instant now) {
    List<Job> open = new ArrayList<>();
    for (QueryDocumentSnapshot doc :
        store
            .call(
                "find the org's open jobs",
                store
                    .jobs
                    .whereEqualTo(LOCK_KEY, lockKey)
                    .whereIn(STATE, List.of(JobState.QUEUED.name(), JobState.RUNNING.name()))
                    .get())
            .getDocuments()) {
      open.add(toJob(doc));
    }
    return NextInLine.of(open, now).flatMap(next -> claimExactly(next.id(), owner, now));
  }

  /** Claims this very job when it is claimable and its lock key free, in one transaction. */
  private Optional<Job> claimExactly(String jobId, String owner, Instant now) {
    DocumentReference jobRef = store.jobs.document(jobId);
    return store.transaction(
        "claim job",
        tx -> {
          DocumentSnapshot doc = tx.get(jobRef).get();
          if (!doc.exists()) {
            return Optional.<Job>empty();
          }
          Job job = toJob(doc);
          if (!job.isClaimable(now)) {
            return Optional.<Job>empty();
          }
          DocumentReference lockRef = store.locks.document(lockDocId(job.lockKey()));
          DocumentSnapshot lock = tx.get(lockRef).get();
          // Free: no lock, a lapsed one, or one this job left in an earlier epoch.
          boolean free =
              !lock.exists()
                  || expired(lock.getTimestamp(LEASE_EXPIRES_AT), now)
                  || jobId.equals(lock.getString(JOB_ID));
          if (!free) {
            return Optional.<Job>empty();
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
          tx.update(jobRef, update);
          tx.set(lockRef, lockDoc(jobId, epoch, owner, until));
          return Optional.of(merged(doc, update));
        });
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
