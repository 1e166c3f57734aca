package dev.orgprovisioner.ledger;

import static dev.orgprovisioner.ledger.LedgerDocs.*;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Transaction;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.Lease;
import dev.orgprovisioner.execution.OutboxEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every write about a running job, fenced: one transaction that first checks the job is RUNNING
 * under the lease's owner and epoch with an unexpired lease, and that its org lock names the same
 * job and epoch; otherwise nothing is written and the caller learns the lease is lost.
 */
final class FirestoreLeasedWrites {

  private final LedgerStore store;

  FirestoreLeasedWrites(LedgerStore store) {
    this.store = store;
  }

  /** Work done inside the fenced transaction; the job and lock documents are already read. */
  private interface Fenced<T> {
    T run(Transaction tx, Job job, DocumentReference lock) throws Exception;
  }

  private <T> Optional<T> fenced(String what, Lease lease, Instant now, Fenced<T> work) {
    DocumentReference jobRef = store.jobs.document(lease.jobId());
    return store.transaction(
        what,
        tx -> {
          DocumentSnapshot doc = tx.get(jobRef).get();
          if (!doc.exists()) {
            return Optional.<T>empty();
          }
          Job job = toJob(doc);
          if (job.state() != JobState.RUNNING
              || !lease.owner().equals(job.leaseOwner())
              || job.epoch() != lease.epoch()
              || expired(ts(job.leaseExpiresAt()), now)) {
            return Optional.<T>empty();
          }
          DocumentReference lockRef = store.locks.document(lockDocId(job.lockKey()));
          DocumentSnapshot lock = tx.get(lockRef).get();
          Long lockEpoch = lock.exists() ? lock.getLong(EPOCH) : null;
          if (!lock.exists()
              || !job.id().equals(lock.getString(JOB_ID))
              || lockEpoch == null
              || lockEpoch != lease.epoch()) {
            return Optional.<T>empty();
          }
          return Optional.ofNullable(work.run(tx, job, lockRef));
        });
  }

  Optional<Instant> heartbeat(Lease lease, Instant now) {
    return fenced(
        "heartbeat",
        lease,
        now,
        (tx, job, lock) -> {
          Instant until = now.plus(store.settings.leaseDuration());
          tx.update(
              store.jobs.document(job.id()),
              Map.of(LEASE_EXPIRES_AT, ts(until), UPDATED_AT, ts(now)));
          tx.set(lock, lockDoc(job.id(), lease.epoch(), lease.owner(), until));
          return until;
        });
  }

  boolean recordStep(Lease lease, String step, Instant now) {
    return fenced(
            "record step",
            lease,
            now,
            (tx, job, lock) -> {
              tx.update(
                  store.jobs.document(job.id()),
                  Map.of(COMPLETED_STEPS, FieldValue.arrayUnion(step), UPDATED_AT, ts(now)));
              return true;
            })
        .isPresent();
  }

  Optional<Map<String, String>> remember(Lease lease, Map<String, String> facts, Instant now) {
    return fenced(
        "remember facts",
        lease,
        now,
        (tx, job, lock) -> {
          Map<String, String> merged = new HashMap<>(facts);
          merged.putAll(job.facts());
          tx.update(store.jobs.document(job.id()), Map.of(FACTS, merged, UPDATED_AT, ts(now)));
          return Map.copyOf(merged);
        });
  }

  boolean finish(Lease lease, JobState terminal, ErrorInfo error, OutboxEvent event, Instant now) {
    if (!terminal.isTerminal()) {
      throw new IllegalArgumentException(terminal + " is not terminal");
    }
    return fenced(
            "finish job",
            lease,
            now,
            (tx, job, lock) -> {
              DocumentReference keyRef = store.keys.document(job.keyId());
              DocumentSnapshot key = tx.get(keyRef).get();
              Map<String, Object> update = new HashMap<>();
              update.put(STATE, terminal.name());
              update.put(LEASE_OWNER, null);
              update.put(LEASE_EXPIRES_AT, null);
              update.put(UPDATED_AT, ts(now));
              update.put(TERMINAL_EVENT_ID, event.id());
              update.put(LAST_ERROR, errorMap(error));
              update.put(EXPIRES_AT, ts(now.plus(store.settings.jobRetention())));
              tx.update(store.jobs.document(job.id()), update);
              // Only a key that still names this job answers with its event: a key that expired
              // (and may be deleted or reused by a newer command) is not this job's any more.
              if (key.exists()
                  && job.id().equals(key.getString(JOB_ID))
                  && !expired(key.getTimestamp(EXPIRES_AT), now)) {
                tx.update(
                    keyRef,
                    Map.of(
                        STATE, KEY_FINISHED, TERMINAL_EVENT_ID, event.id(), FINISHED_AT, ts(now)));
              }
              tx.set(store.outbox.document(event.id()), eventMap(event));
              tx.delete(lock);
              return true;
            })
        .isPresent();
  }

  boolean retryLater(Lease lease, Instant nextAttemptAt, ErrorInfo error, Instant now) {
    return fenced(
            "schedule retry",
            lease,
            now,
            (tx, job, lock) -> {
              Map<String, Object> update = queuedAgain(nextAttemptAt, now);
              update.put(LAST_ERROR, errorMap(error));
              tx.update(store.jobs.document(job.id()), update);
              tx.delete(lock);
              return true;
            })
        .isPresent();
  }

  boolean postpone(Lease lease, Instant dueAt, Instant now) {
    return fenced(
            "release job",
            lease,
            now,
            (tx, job, lock) -> {
              Map<String, Object> update = queuedAgain(dueAt, now);
              // The interrupted run was not a failure of the job: give its attempt back.
              update.put(ATTEMPTS, Math.max(0, job.attempts() - 1));
              tx.update(store.jobs.document(job.id()), update);
              tx.delete(lock);
              return true;
            })
        .isPresent();
  }

  /** The fields of a job handed back to the queue: no lease, due at {@code nextAttemptAt}. */
  private static Map<String, Object> queuedAgain(Instant nextAttemptAt, Instant now) {
    Map<String, Object> update = new HashMap<>();
    update.put(STATE, JobState.QUEUED.name());
    update.put(LEASE_OWNER, null);
    update.put(LEASE_EXPIRES_AT, null);
    update.put(NEXT_ATTEMPT_AT, ts(nextAttemptAt));
    update.put(UPDATED_AT, ts(now));
    return update;
  }
}
