package dev.orgprovisioner.ledger;

import static dev.orgprovisioner.ledger.LedgerDocs.*;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Transaction;
import com.google.cloud.firestore.WriteBatch;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.port.IdempotencyKeys;
import dev.orgprovisioner.execution.port.LedgerRejectedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Idempotency keys in Firestore: a batch of commands claimed, and their jobs created, at once — by
 * one conditional commit when every key is new, else by a transaction that reads them first.
 */
final class FirestoreIdempotencyKeys implements IdempotencyKeys {

  private final LedgerStore store;

  FirestoreIdempotencyKeys(LedgerStore store) {
    this.store = store;
  }

  /** What the batch decided for one command before any write. */
  private sealed interface Decision {}

  private record Answer(ClaimResult result) implements Decision {}

  private record NewJob(Job job, CommandEnvelope envelope) implements Decision {}

  private record FinishedKey(String jobId, String eventId) implements Decision {}

  @Override
  public List<ClaimResult> claimAll(List<CommandEnvelope> envelopes, Instant now) {
    if (envelopes.isEmpty()) {
      return List.of();
    }
    if (distinctKeys(envelopes)) {
      Optional<List<ClaimResult>> created = createAll(envelopes, now);
      if (created.isPresent()) {
        return created.get();
      }
    }
    return claimInTransaction(envelopes, now);
  }

  /**
   * The usual case, every key new: one atomic commit creating each key and its job, each key with
   * the precondition that it does not exist yet (one round trip; a transaction takes three and
   * locks the keys it reads). Empty when any key exists, expired or not: then nothing was written
   * and the transaction decides. Idempotency holds as in the transaction: of two instances creating
   * the same key only one commit succeeds, and the claim is durable before it returns.
   */
  private Optional<List<ClaimResult>> createAll(List<CommandEnvelope> envelopes, Instant now) {
    WriteBatch batch = store.db.batch();
    List<ClaimResult> results = new ArrayList<>(envelopes.size());
    for (CommandEnvelope e : envelopes) {
      Job job = newJob(e, hashId(e.scope()), now);
      batch.create(store.jobs.document(job.id()), jobDoc(job));
      batch.create(store.keys.document(job.keyId()), keyDoc(e.scope(), job, null, now));
      results.add(new ClaimResult.Claimed(job));
    }
    try {
      store.call("claim " + envelopes.size() + " command(s)", batch.commit());
      return Optional.of(results);
    } catch (LedgerRejectedException e) {
      if (LedgerStore.alreadyExists(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static boolean distinctKeys(List<CommandEnvelope> envelopes) {
    Set<String> scopes = new HashSet<>();
    for (CommandEnvelope e : envelopes) {
      if (!scopes.add(e.scope())) {
        return false;
      }
    }
    return true;
  }

  /** Reads every key, decides each command in order, and writes the new keys and jobs. */
  private List<ClaimResult> claimInTransaction(List<CommandEnvelope> envelopes, Instant now) {
    Map<String, DocumentReference> refs = new LinkedHashMap<>();
    for (CommandEnvelope e : envelopes) {
      DocumentReference key = store.keys.document(hashId(e.scope()));
      refs.put(key.getPath(), key);
    }
    return store.transaction(
        "claim " + envelopes.size() + " command(s)",
        tx -> {
          Map<String, DocumentSnapshot> keyDocs = new HashMap<>();
          for (DocumentSnapshot snap :
              tx.getAll(refs.values().toArray(DocumentReference[]::new)).get()) {
            keyDocs.put(snap.getId(), snap);
          }
          List<Decision> decisions = decide(envelopes, keyDocs, now);
          // Firestore wants every read before the first write: stored events are read here.
          Map<String, DocumentSnapshot> events = readEvents(tx, decisions);
          List<ClaimResult> results = new ArrayList<>();
          for (Decision d : decisions) {
            if (d instanceof FinishedKey f) {
              results.add(new ClaimResult.Finished(f.jobId(), toEvent(events.get(f.eventId()))));
            } else if (d instanceof NewJob n) {
              write(tx, n, now);
              results.add(new ClaimResult.Claimed(n.job()));
            } else {
              results.add(((Answer) d).result());
            }
          }
          return results;
        });
  }

  /** Decides every command in order, as if claimed one after another. */
  private List<Decision> decide(
      List<CommandEnvelope> envelopes, Map<String, DocumentSnapshot> keyDocs, Instant now) {
    List<Decision> decisions = new ArrayList<>();
    // keyId -> {job id, fingerprint, terminal event id or null} as the batch left the key.
    Map<String, String[]> claimedInBatch = new HashMap<>();
    for (CommandEnvelope e : envelopes) {
      String keyId = hashId(e.scope());
      String[] earlier = claimedInBatch.get(keyId);
      if (earlier != null) {
        if (!e.fingerprint().equals(earlier[1])) {
          decisions.add(new Answer(new ClaimResult.Conflict(earlier[0])));
        } else if (earlier[2] != null) {
          decisions.add(new FinishedKey(earlier[0], earlier[2]));
        } else {
          decisions.add(new Answer(new ClaimResult.InFlight(earlier[0])));
        }
        continue;
      }
      DocumentSnapshot key = keyDocs.get(keyId);
      if (key.exists() && !expired(key.getTimestamp(EXPIRES_AT), now)) {
        String jobId = key.getString(JOB_ID);
        boolean finished = KEY_FINISHED.equals(key.getString(STATE));
        claimedInBatch.put(
            keyId,
            new String[] {
              jobId, key.getString(FINGERPRINT), finished ? key.getString(TERMINAL_EVENT_ID) : null
            });
        if (!e.fingerprint().equals(key.getString(FINGERPRINT))) {
          decisions.add(new Answer(new ClaimResult.Conflict(jobId)));
        } else if (finished) {
          decisions.add(new FinishedKey(jobId, key.getString(TERMINAL_EVENT_ID)));
        } else {
          decisions.add(new Answer(new ClaimResult.InFlight(jobId)));
        }
        continue;
      }
      Job job = newJob(e, keyId, now);
      claimedInBatch.put(keyId, new String[] {job.id(), e.fingerprint(), null});
      decisions.add(new NewJob(job, e));
    }
    return decisions;
  }

  private Map<String, DocumentSnapshot> readEvents(Transaction tx, List<Decision> decisions)
      throws Exception {
    Map<String, DocumentReference> eventRefs = new LinkedHashMap<>();
    for (Decision d : decisions) {
      if (d instanceof FinishedKey f) {
        eventRefs.put(f.eventId(), store.outbox.document(f.eventId()));
      }
    }
    Map<String, DocumentSnapshot> events = new HashMap<>();
    if (!eventRefs.isEmpty()) {
      for (DocumentSnapshot snap :
          tx.getAll(eventRefs.values().toArray(DocumentReference[]::new)).get()) {
        events.put(snap.getId(), snap);
      }
    }
    return events;
  }

  private static Job newJob(CommandEnvelope e, String keyId, Instant now) {
    return Job.accepted(UUID.randomUUID().toString(), e, keyId, now);
  }

  private void write(Transaction tx, NewJob n, Instant now) {
    Job job = n.job();
    tx.set(store.jobs.document(job.id()), jobDoc(job));
    tx.set(store.keys.document(job.keyId()), keyDoc(n.envelope().scope(), job, null, now));
  }

  /** An in-flight key naming {@code job}; {@code createdAt} null means now. */
  Map<String, Object> keyDoc(String scope, Job job, Object createdAt, Instant now) {
    Map<String, Object> key = new HashMap<>();
    key.put(SCOPE, scope);
    key.put(TYPE, job.type().ceType());
    key.put(ORG_SLUG, job.orgSlug());
    key.put(IDEMPOTENCY_KEY, job.idempotencyKey());
    key.put(FINGERPRINT, job.fingerprint());
    key.put(STATE, KEY_IN_FLIGHT);
    key.put(JOB_ID, job.id());
    key.put(CREATED_AT, createdAt == null ? ts(now) : createdAt);
    // The TTL policy (deploy/terraform) deletes the document after this time.
    key.put(EXPIRES_AT, ts(now.plus(store.settings.keyTtl())));
    return key;
  }

  /** The scope text of a job's key: (type, org, key) as {@link CommandEnvelope#scope()}. */
  static String scopeOf(Job job) {
    return job.type().ceType()
        + "|"
        + (job.orgSlug() == null ? "-" : job.orgSlug())
        + "|"
        + job.idempotencyKey();
  }
}
