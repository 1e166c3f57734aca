package dev.orgprovisioner.ledger;

import com.google.api.core.ApiFuture;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.Transaction;
import com.google.cloud.firestore.TransactionOptions;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.execution.port.LedgerUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The control state in Firestore: idempotency keys, jobs, per-org locks and the outbox, each state
 * change one transaction. Collections: {@code <prefix>idempotency_keys}, {@code <prefix>jobs},
 * {@code <prefix>locks}, {@code <prefix>outbox}.
 */
public final class FirestoreLedger implements Ledger {

  /** Tunables of the ledger. */
  public record Settings(
      String collectionPrefix,
      Duration keyTtl,
      Duration leaseDuration,
      int transactionAttempts,
      Duration callTimeout) {}

  private final Firestore db;
  private final Settings settings;
  private final CollectionReference keys;
  private final CollectionReference jobs;
  private final CollectionReference locks;
  private final CollectionReference outbox;
  private final CollectionReference reports;

  public FirestoreLedger(Firestore db, Settings settings) {
    this.db = db;
    this.settings = settings;
    String p = settings.collectionPrefix();
    this.keys = db.collection(p + "idempotency_keys");
    this.jobs = db.collection(p + "jobs");
    this.locks = db.collection(p + "locks");
    this.outbox = db.collection(p + "outbox");
    this.reports = db.collection(p + "reports");
  }

  /** The document id of an idempotency scope: a hash, so any key text is a valid id. */
  public static String keyId(String scope) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(scope.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ claim

  @Override
  public ClaimResult claim(CommandEnvelope envelope, String owner, Instant now) {
    return claimAll(List.of(envelope), owner, now).get(0);
  }

  /** A command of the batch that gets a new job. */
  private record NewJob(
      CommandEnvelope envelope, String keyId, String jobId, String lockKey, boolean free) {}

  /** A command of the batch whose key finished: its stored event must be read. */
  private record FinishedKey(String jobId, String eventId) {}

  @Override
  public List<ClaimResult> claimAll(List<CommandEnvelope> envelopes, String owner, Instant now) {
    if (envelopes.isEmpty()) {
      return List.of();
    }
    Map<String, DocumentReference> refs = new java.util.LinkedHashMap<>();
    for (CommandEnvelope e : envelopes) {
      DocumentReference key = keys.document(keyId(e.scope()));
      DocumentReference lock = locks.document(lockDocId(lockKeyOf(e)));
      refs.put(key.getPath(), key);
      refs.put(lock.getPath(), lock);
    }
    return transaction(
        "claim " + envelopes.size() + " command(s)",
        tx -> {
          Map<String, DocumentSnapshot> snapshots = new HashMap<>();
          for (DocumentSnapshot snap :
              tx.getAll(refs.values().toArray(DocumentReference[]::new)).get()) {
            snapshots.put(snap.getReference().getPath(), snap);
          }
          // Phase 1: decide every command, as if claimed one after another.
          List<Object> outcomes = new ArrayList<>();
          Map<String, String[]> claimedInBatch = new HashMap<>();
          java.util.Set<String> locksTaken = new java.util.HashSet<>();
          for (CommandEnvelope e : envelopes) {
            String keyId = keyId(e.scope());
            String[] earlier = claimedInBatch.get(keyId);
            if (earlier != null) {
              outcomes.add(
                  e.fingerprint().equals(earlier[1])
                      ? new ClaimResult.InFlight(earlier[0])
                      : new ClaimResult.Conflict(earlier[0]));
              continue;
            }
            DocumentSnapshot key = snapshots.get(keys.document(keyId).getPath());
            if (key.exists() && !expired(key.getTimestamp("expires_at"), now)) {
              String jobId = key.getString("job_id");
              claimedInBatch.put(keyId, new String[] {jobId, key.getString("fingerprint")});
              if (!e.fingerprint().equals(key.getString("fingerprint"))) {
                outcomes.add(new ClaimResult.Conflict(jobId));
              } else if ("FINISHED".equals(key.getString("state"))) {
                outcomes.add(new FinishedKey(jobId, key.getString("terminal_event_id")));
              } else {
                outcomes.add(new ClaimResult.InFlight(jobId));
              }
              continue;
            }
            String jobId = UUID.randomUUID().toString();
            String lockKey = lockKeyOf(e);
            DocumentSnapshot lock = snapshots.get(locks.document(lockDocId(lockKey)).getPath());
            boolean free =
                owner != null && !locksTaken.contains(lockKey) && lockFree(lock, jobId, now);
            if (free) {
              locksTaken.add(lockKey);
            }
            claimedInBatch.put(keyId, new String[] {jobId, e.fingerprint()});
            outcomes.add(new NewJob(e, keyId, jobId, lockKey, free));
          }
          // Phase 2: reads of stored events (Firestore wants every read before the first write).
          List<DocumentReference> eventRefs = new ArrayList<>();
          for (Object o : outcomes) {
            if (o instanceof FinishedKey f) {
              eventRefs.add(outbox.document(f.eventId()));
            }
          }
          Map<String, DocumentSnapshot> events = new HashMap<>();
          if (!eventRefs.isEmpty()) {
            for (DocumentSnapshot snap :
                tx.getAll(eventRefs.toArray(DocumentReference[]::new)).get()) {
              events.put(snap.getId(), snap);
            }
          }
          // Phase 3: writes.
          List<ClaimResult> results = new ArrayList<>();
          for (Object o : outcomes) {
            if (o instanceof FinishedKey f) {
              results.add(new ClaimResult.Finished(f.jobId(), toEvent(events.get(f.eventId()))));
            } else if (o instanceof NewJob n) {
              results.add(new ClaimResult.Claimed(createJob(tx, n, owner, now)));
            } else {
              results.add((ClaimResult) o);
            }
          }
          return results;
        });
  }

  private static String lockKeyOf(CommandEnvelope e) {
    return Job.lockKeyFor(e.type(), e.command().org().map(OrgSlug::value).orElse(null));
  }

  private Job createJob(Transaction tx, NewJob n, String owner, Instant now) {
    CommandEnvelope envelope = n.envelope();
    String org = envelope.command().org().map(OrgSlug::value).orElse(null);
    boolean free = n.free();
    Instant leaseUntil = now.plus(settings.leaseDuration());
    Map<String, Object> job = new HashMap<>();
    job.put("type", envelope.type().ceType());
    job.put("org_slug", org);
    job.put("lock_key", n.lockKey());
    job.put("priority", envelope.priority());
    job.put("state", free ? JobState.RUNNING.name() : JobState.QUEUED.name());
    job.put("attempts", free ? 1 : 0);
    job.put("next_attempt_at", ts(now));
    job.put("lease_owner", free ? owner : null);
    job.put("lease_expires_at", free ? ts(leaseUntil) : null);
    job.put("command_id", envelope.id());
    job.put("idempotency_key", envelope.idempotencyKey());
    job.put("key_id", n.keyId());
    job.put("fingerprint", envelope.fingerprint());
    job.put("data", envelope.data());
    job.put("attributes", envelope.attributes());
    job.put("completed_steps", List.of());
    job.put("created_at", ts(now));
    job.put("updated_at", ts(now));
    tx.set(jobs.document(n.jobId()), job);
    Map<String, Object> keyDoc = new HashMap<>();
    keyDoc.put("scope", envelope.scope());
    keyDoc.put("type", envelope.type().ceType());
    keyDoc.put("org_slug", org);
    keyDoc.put("idempotency_key", envelope.idempotencyKey());
    keyDoc.put("fingerprint", envelope.fingerprint());
    keyDoc.put("state", "IN_FLIGHT");
    keyDoc.put("job_id", n.jobId());
    keyDoc.put("created_at", ts(now));
    // The TTL policy (deploy/) deletes the document after this time.
    keyDoc.put("expires_at", ts(now.plus(settings.keyTtl())));
    tx.set(keys.document(n.keyId()), keyDoc);
    if (free) {
      tx.set(locks.document(lockDocId(n.lockKey())), lockDoc(n.jobId(), owner, leaseUntil));
    }
    return toJob(n.jobId(), job);
  }

  // ------------------------------------------------------------------ job life

  @Override
  public Optional<Job> job(String jobId) {
    DocumentSnapshot doc = call("read job", jobs.document(jobId).get());
    return doc.exists() ? Optional.of(toJob(doc)) : Optional.empty();
  }

  @Override
  public List<Job> jobs(JobState state, String orgSlug, int limit) {
    Query q = jobs;
    if (state != null) {
      q = q.whereEqualTo("state", state.name());
    }
    if (orgSlug != null) {
      q = q.whereEqualTo("org_slug", orgSlug);
    }
    List<Job> out = new ArrayList<>();
    for (QueryDocumentSnapshot doc : call("list jobs", q.get()).getDocuments()) {
      out.add(toJob(doc));
    }
    out.sort(Comparator.comparing(Job::createdAt).reversed());
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  @Override
  public RetryResult retryFailed(String jobId, Instant now) {
    DocumentReference jobRef = jobs.document(jobId);
    return transaction(
        "retry job",
        tx -> {
          DocumentSnapshot job = tx.get(jobRef).get();
          if (!job.exists()) {
            return new RetryResult(RetryOutcome.NOT_FOUND, null);
          }
          if (!JobState.FAILED.name().equals(job.getString("state"))) {
            return new RetryResult(RetryOutcome.NOT_FAILED, toJob(job));
          }
          DocumentReference keyRef = keys.document(job.getString("key_id"));
          DocumentSnapshot key = tx.get(keyRef).get();
          boolean keyAlive = key.exists() && !expired(key.getTimestamp("expires_at"), now);
          if (keyAlive && !jobId.equals(key.getString("job_id"))) {
            return new RetryResult(RetryOutcome.KEY_TAKEN, toJob(job));
          }
          Map<String, Object> update = new HashMap<>();
          update.put("state", JobState.QUEUED.name());
          update.put("attempts", 0);
          update.put("next_attempt_at", ts(now));
          update.put("lease_owner", null);
          update.put("lease_expires_at", null);
          update.put("terminal_event_id", null);
          update.put("retried_at", ts(now));
          update.put("manual_retries", FieldValue.increment(1));
          update.put("updated_at", ts(now));
          tx.update(jobRef, update);
          // The key answers "in flight" again until the retried job finishes; its TTL restarts so
          // duplicates during the re-run are still recognised.
          Map<String, Object> keyDoc = new HashMap<>();
          keyDoc.put(
              "scope",
              job.getString("type")
                  + "|"
                  + orgOrDash(job)
                  + "|"
                  + job.getString("idempotency_key"));
          keyDoc.put("type", job.getString("type"));
          keyDoc.put("org_slug", job.getString("org_slug"));
          keyDoc.put("idempotency_key", job.getString("idempotency_key"));
          keyDoc.put("fingerprint", job.getString("fingerprint"));
          keyDoc.put("state", "IN_FLIGHT");
          keyDoc.put("job_id", jobId);
          keyDoc.put("created_at", keyAlive ? key.get("created_at") : ts(now));
          keyDoc.put("expires_at", ts(now.plus(settings.keyTtl())));
          tx.set(keyRef, keyDoc);
          Map<String, Object> merged = new HashMap<>(job.getData());
          merged.putAll(update);
          merged.remove("manual_retries");
          return new RetryResult(RetryOutcome.RETRIED, toJob(jobId, merged));
        });
  }

  private static String orgOrDash(DocumentSnapshot job) {
    String org = job.getString("org_slug");
    return org == null ? "-" : org;
  }

  @Override
  public boolean heartbeat(String jobId, String owner, Instant now) {
    return withLease(
        "heartbeat",
        jobId,
        owner,
        now,
        (tx, job) -> {
          Instant until = now.plus(settings.leaseDuration());
          tx.update(
              jobs.document(jobId), Map.of("lease_expires_at", ts(until), "updated_at", ts(now)));
          tx.set(
              locks.document(lockDocId(job.getString("lock_key"))), lockDoc(jobId, owner, until));
        });
  }

  @Override
  public boolean recordStep(String jobId, String owner, String step, Instant now) {
    return withLease(
        "record step",
        jobId,
        owner,
        now,
        (tx, job) ->
            tx.update(
                jobs.document(jobId),
                Map.of("completed_steps", FieldValue.arrayUnion(step), "updated_at", ts(now))));
  }

  @Override
  public boolean finish(
      String jobId,
      String owner,
      JobState terminal,
      ErrorInfo error,
      OutboxEvent event,
      Instant now) {
    if (!terminal.isTerminal()) {
      throw new IllegalArgumentException(terminal + " is not terminal");
    }
    return withLease(
        "finish job",
        jobId,
        owner,
        now,
        (tx, job) -> {
          Map<String, Object> update = new HashMap<>();
          update.put("state", terminal.name());
          update.put("lease_owner", null);
          update.put("lease_expires_at", null);
          update.put("updated_at", ts(now));
          update.put("terminal_event_id", event.id());
          update.put("last_error", errorMap(error));
          tx.update(jobs.document(jobId), update);
          tx.update(
              keys.document(job.getString("key_id")),
              Map.of("state", "FINISHED", "terminal_event_id", event.id(), "finished_at", ts(now)));
          tx.set(outbox.document(event.id()), eventMap(event));
          tx.delete(locks.document(lockDocId(job.getString("lock_key"))));
        });
  }

  /** The fields of a job handed back to the queue: no lease, due at {@code nextAttemptAt}. */
  private static Map<String, Object> queuedAgain(Instant nextAttemptAt, Instant now) {
    Map<String, Object> update = new HashMap<>();
    update.put("state", JobState.QUEUED.name());
    update.put("lease_owner", null);
    update.put("lease_expires_at", null);
    update.put("next_attempt_at", ts(nextAttemptAt));
    update.put("updated_at", ts(now));
    return update;
  }

  @Override
  public boolean retryLater(
      String jobId, String owner, Instant nextAttemptAt, ErrorInfo error, Instant now) {
    return withLease(
        "schedule retry",
        jobId,
        owner,
        now,
        (tx, job) -> {
          Map<String, Object> update = queuedAgain(nextAttemptAt, now);
          update.put("last_error", errorMap(error));
          tx.update(jobs.document(jobId), update);
          tx.delete(locks.document(lockDocId(job.getString("lock_key"))));
        });
  }

  @Override
  public List<Job> claimDue(String owner, Instant now, int limit) {
    List<QueryDocumentSnapshot> candidates = new ArrayList<>();
    candidates.addAll(
        call(
                "find expired leases",
                jobs.whereEqualTo("state", JobState.RUNNING.name())
                    .whereLessThan("lease_expires_at", ts(now))
                    .limit(limit * 4)
                    .get())
            .getDocuments());
    List<QueryDocumentSnapshot> queued =
        new ArrayList<>(
            call(
                    "find due jobs",
                    jobs.whereEqualTo("state", JobState.QUEUED.name())
                        .whereLessThanOrEqualTo("next_attempt_at", ts(now))
                        .orderBy("next_attempt_at")
                        .limit(limit * 4)
                        .get())
                .getDocuments());
    queued.sort(
        Comparator.comparing((QueryDocumentSnapshot d) -> d.getLong("priority"))
            .thenComparing(d -> d.getTimestamp("created_at")));
    candidates.addAll(queued);
    // Several instances sweep at once: shuffle within small windows so they rarely collide on
    // the same job while priority order still mostly holds.
    List<QueryDocumentSnapshot> spread = spread(candidates, 4);
    List<Job> claimed = new ArrayList<>();
    for (QueryDocumentSnapshot candidate : spread) {
      if (claimed.size() >= limit) {
        break;
      }
      tryClaim(candidate.getId(), owner, now).ifPresent(claimed::add);
    }
    return claimed;
  }

  @Override
  public Optional<Job> claimNext(String lockKey, String owner, Instant now) {
    List<QueryDocumentSnapshot> waiting =
        new ArrayList<>(
            call(
                    "find waiting jobs",
                    jobs.whereEqualTo("lock_key", lockKey)
                        .whereEqualTo("state", JobState.QUEUED.name())
                        .get())
                .getDocuments());
    waiting.sort(
        Comparator.comparing((QueryDocumentSnapshot d) -> d.getLong("priority"))
            .thenComparing(d -> d.getTimestamp("created_at")));
    for (QueryDocumentSnapshot doc : waiting) {
      // "expired" is "not after now": the job is due.
      if (expired(doc.getTimestamp("next_attempt_at"), now)) {
        return tryClaim(doc.getId(), owner, now);
      }
    }
    return Optional.empty();
  }

  private Optional<Job> tryClaim(String jobId, String owner, Instant now) {
    DocumentReference jobRef = jobs.document(jobId);
    return transaction(
        "claim job",
        tx -> {
          DocumentSnapshot job = tx.get(jobRef).get();
          if (!job.exists()) {
            return Optional.<Job>empty();
          }
          String state = job.getString("state");
          boolean due =
              JobState.QUEUED.name().equals(state)
                  && !job.getTimestamp("next_attempt_at").toDate().toInstant().isAfter(now);
          boolean abandoned =
              JobState.RUNNING.name().equals(state)
                  && expired(job.getTimestamp("lease_expires_at"), now);
          if (!due && !abandoned) {
            return Optional.<Job>empty();
          }
          DocumentReference lockRef = locks.document(lockDocId(job.getString("lock_key")));
          DocumentSnapshot lock = tx.get(lockRef).get();
          if (!lockFree(lock, jobId, now)) {
            return Optional.<Job>empty();
          }
          Instant until = now.plus(settings.leaseDuration());
          Map<String, Object> update = new HashMap<>();
          update.put("state", JobState.RUNNING.name());
          update.put("lease_owner", owner);
          update.put("lease_expires_at", ts(until));
          update.put("attempts", job.getLong("attempts") + 1);
          update.put("updated_at", ts(now));
          tx.update(jobRef, update);
          tx.set(lockRef, lockDoc(jobId, owner, until));
          Map<String, Object> merged = new HashMap<>(job.getData());
          merged.putAll(update);
          return Optional.of(toJob(jobId, merged));
        });
  }

  // ------------------------------------------------------------------ outbox

  @Override
  public List<OutboxEvent> unpublished(int limit) {
    List<OutboxEvent> out = new ArrayList<>();
    for (QueryDocumentSnapshot doc :
        call("list unpublished events", outbox.whereEqualTo("published", false).limit(limit).get())
            .getDocuments()) {
      out.add(toEvent(doc));
    }
    out.sort(Comparator.comparing(OutboxEvent::createdAt));
    return out;
  }

  @Override
  public void saveReport(String name, String json, Instant at) {
    call(
        "save report " + name,
        reports.document(name).set(Map.of("json", json, "saved_at", ts(at))));
  }

  @Override
  public Optional<String> report(String name) {
    DocumentSnapshot doc = call("read report " + name, reports.document(name).get());
    return doc.exists() ? Optional.ofNullable(doc.getString("json")) : Optional.empty();
  }

  @Override
  public void storeEvents(List<OutboxEvent> events) {
    // Firestore allows 500 writes per batch.
    for (int i = 0; i < events.size(); i += 400) {
      com.google.cloud.firestore.WriteBatch batch = db.batch();
      for (OutboxEvent event : events.subList(i, Math.min(i + 400, events.size()))) {
        batch.set(outbox.document(event.id()), eventMap(event));
      }
      call("store " + events.size() + " event(s)", batch.commit());
    }
  }

  @Override
  public void markPublished(String eventId) {
    call(
        "mark event published",
        outbox
            .document(eventId)
            .update(Map.of("published", true, "published_at", Timestamp.now())));
  }

  @Override
  public Optional<OutboxEvent> event(String eventId) {
    DocumentSnapshot doc = call("read event", outbox.document(eventId).get());
    return doc.exists() ? Optional.of(toEvent(doc)) : Optional.empty();
  }

  // ------------------------------------------------------------------ plumbing

  /** Work done inside a transaction on a job this owner holds. */
  private interface LeasedWork {
    void run(Transaction tx, DocumentSnapshot job) throws Exception;
  }

  private boolean withLease(String what, String jobId, String owner, Instant now, LeasedWork work) {
    DocumentReference ref = jobs.document(jobId);
    return transaction(
        what,
        tx -> {
          DocumentSnapshot job = tx.get(ref).get();
          if (!job.exists()
              || !JobState.RUNNING.name().equals(job.getString("state"))
              || !owner.equals(job.getString("lease_owner"))) {
            return false;
          }
          work.run(tx, job);
          return true;
        });
  }

  private <T> T transaction(String what, Transaction.Function<T> body) {
    TransactionOptions options =
        TransactionOptions.createReadWriteOptionsBuilder()
            .setNumberOfAttempts(settings.transactionAttempts())
            .build();
    return call(what, db.runTransaction(body, options));
  }

  private <T> T call(String what, ApiFuture<T> future) {
    try {
      return future.get(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerUnavailableException(what + " interrupted", e);
    } catch (ExecutionException e) {
      throw new LedgerUnavailableException(
          what + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new LedgerUnavailableException(
          what + " timed out after " + settings.callTimeout().toMillis() + " ms", e);
    }
  }

  private static boolean lockFree(DocumentSnapshot lock, String jobId, Instant now) {
    return !lock.exists()
        || jobId.equals(lock.getString("job_id"))
        || expired(lock.getTimestamp("lease_expires_at"), now);
  }

  private static Map<String, Object> lockDoc(String jobId, String owner, Instant until) {
    Map<String, Object> lock = new HashMap<>();
    lock.put("job_id", jobId);
    lock.put("owner", owner);
    lock.put("lease_expires_at", ts(until));
    return lock;
  }

  /** Lock documents are keyed by a hash: lock keys like {@code ~central} are not valid ids. */
  private static String lockDocId(String lockKey) {
    return keyId("lock|" + lockKey);
  }

  private static boolean expired(Timestamp t, Instant now) {
    return t == null || !t.toDate().toInstant().isAfter(now);
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.ofTimeSecondsAndNanos(i.getEpochSecond(), i.getNano());
  }

  private static Instant instant(Object o) {
    return o instanceof Timestamp t ? Instant.ofEpochSecond(t.getSeconds(), t.getNanos()) : null;
  }

  private static Map<String, Object> errorMap(ErrorInfo error) {
    if (error == null) {
      return null;
    }
    Map<String, Object> m = new HashMap<>();
    m.put("transient", error.transientFailure());
    m.put("code", error.code());
    m.put("message", error.message());
    return m;
  }

  private static Map<String, Object> eventMap(OutboxEvent event) {
    Map<String, Object> m = new HashMap<>();
    m.put("type", event.type());
    m.put("ordering_key", event.orderingKey());
    m.put("attributes", event.attributes());
    m.put("data", event.data());
    m.put("created_at", ts(event.createdAt()));
    m.put("published", event.published());
    return m;
  }

  @SuppressWarnings("unchecked")
  private static OutboxEvent toEvent(DocumentSnapshot doc) {
    return new OutboxEvent(
        doc.getId(),
        doc.getString("type"),
        doc.getString("ordering_key"),
        (Map<String, String>) doc.get("attributes"),
        doc.getString("data"),
        instant(doc.get("created_at")),
        Boolean.TRUE.equals(doc.getBoolean("published")));
  }

  private static Job toJob(DocumentSnapshot doc) {
    return toJob(doc.getId(), doc.getData());
  }

  @SuppressWarnings("unchecked")
  private static Job toJob(String id, Map<String, Object> d) {
    Map<String, Object> err = (Map<String, Object>) d.get("last_error");
    return new Job(
        id,
        CommandType.fromCeType((String) d.get("type")).orElseThrow(),
        (String) d.get("org_slug"),
        (String) d.get("lock_key"),
        ((Number) d.get("priority")).intValue(),
        JobState.valueOf((String) d.get("state")),
        ((Number) d.get("attempts")).intValue(),
        instant(d.get("next_attempt_at")),
        (String) d.get("lease_owner"),
        instant(d.get("lease_expires_at")),
        (String) d.get("command_id"),
        (String) d.get("idempotency_key"),
        (String) d.get("key_id"),
        (String) d.get("fingerprint"),
        (String) d.get("data"),
        (Map<String, String>) d.get("attributes"),
        (List<String>) d.get("completed_steps"),
        instant(d.get("created_at")),
        instant(d.get("updated_at")),
        err == null
            ? null
            : new ErrorInfo(
                Boolean.TRUE.equals(err.get("transient")),
                (String) err.get("code"),
                (String) err.get("message")));
  }

  private static <T> List<T> spread(List<T> ordered, int window) {
    List<T> out = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i += window) {
      List<T> chunk = new ArrayList<>(ordered.subList(i, Math.min(i + window, ordered.size())));
      Collections.shuffle(chunk, ThreadLocalRandom.current());
      out.addAll(chunk);
    }
    return out;
  }

  // --- Operations (ops-runtime): graceful shutdown and queue metrics ---

  @Override
  public boolean release(String jobId, String owner, Instant now) {
    return withLease(
        "release job",
        jobId,
        owner,
        now,
        (tx, job) -> {
          Map<String, Object> update = queuedAgain(now, now);
          // The interrupted run was not a failure of the job: give its attempt back.
          update.put("attempts", Math.max(0, job.getLong("attempts") - 1));
          tx.update(jobs.document(jobId), update);
          tx.delete(locks.document(lockDocId(job.getString("lock_key"))));
        });
  }

  @Override
  public long countJobs(JobState state) {
    return call("count jobs", jobs.whereEqualTo("state", state.name()).count().get()).getCount();
  }
}
