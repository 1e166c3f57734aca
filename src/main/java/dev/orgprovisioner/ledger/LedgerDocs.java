package dev.orgprovisioner.ledger;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.TraceContext;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.OutboxEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The one codec between ledger records and Firestore documents, with every field name. */
final class LedgerDocs {

  // Job documents.
  static final String TYPE = "type";
  static final String ORG_SLUG = "org_slug";
  static final String LOCK_KEY = "lock_key";
  static final String PRIORITY = "priority";
  static final String STATE = "state";
  static final String ATTEMPTS = "attempts";
  static final String EPOCH = "epoch";
  static final String NEXT_ATTEMPT_AT = "next_attempt_at";
  static final String LEASE_OWNER = "lease_owner";
  static final String LEASE_EXPIRES_AT = "lease_expires_at";
  static final String COMMAND_ID = "command_id";
  static final String IDEMPOTENCY_KEY = "idempotency_key";
  static final String KEY_ID = "key_id";
  static final String FINGERPRINT = "fingerprint";
  static final String DATA = "data";
  static final String ATTRIBUTES = "attributes";
  static final String COMPLETED_STEPS = "completed_steps";
  static final String FACTS = "facts";
  static final String CREATED_AT = "created_at";
  static final String UPDATED_AT = "updated_at";
  static final String LAST_ERROR = "last_error";
  static final String TRACE_PARENT = "trace_parent";
  static final String TRACE_STATE = "trace_state";
  static final String TERMINAL_EVENT_ID = "terminal_event_id";
  static final String MANUAL_RETRIES = "manual_retries";
  static final String RETRIED_AT = "retried_at";

  /** TTL field of finished jobs, published events and idempotency keys (deploy/terraform). */
  static final String EXPIRES_AT = "expires_at";

  // Idempotency key documents (also TYPE, ORG_SLUG, IDEMPOTENCY_KEY, FINGERPRINT, STATE, ...).
  static final String SCOPE = "scope";
  static final String JOB_ID = "job_id";
  static final String FINISHED_AT = "finished_at";
  static final String KEY_IN_FLIGHT = "IN_FLIGHT";
  static final String KEY_FINISHED = "FINISHED";

  // Lock documents: JOB_ID, EPOCH, OWNER, LEASE_EXPIRES_AT.
  static final String OWNER = "owner";

  // Outbox documents: TYPE, ATTRIBUTES, DATA, CREATED_AT, plus these.
  static final String ORDERING_KEY = "ordering_key";
  static final String PUBLISHED = "published";
  static final String PUBLISHED_AT = "published_at";

  // Reports.
  static final String JSON = "json";
  static final String SAVED_AT = "saved_at";

  private LedgerDocs() {}

  /** The document id of an idempotency scope or lock key: a hash, so any text is a valid id. */
  static String hashId(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lock documents are keyed by a hash: lock keys like {@code ~central} are not valid ids. */
  static String lockDocId(String lockKey) {
    return hashId("lock|" + lockKey);
  }

  static boolean expired(Timestamp t, Instant now) {
    return t == null || !instant(t).isAfter(now);
  }

  static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.ofTimeSecondsAndNanos(i.getEpochSecond(), i.getNano());
  }

  static Instant instant(Object o) {
    return o instanceof Timestamp t ? Instant.ofEpochSecond(t.getSeconds(), t.getNanos()) : null;
  }

  static Map<String, Object> lockDoc(String jobId, long epoch, String owner, Instant until) {
    Map<String, Object> lock = new HashMap<>();
    lock.put(JOB_ID, jobId);
    lock.put(EPOCH, epoch);
    lock.put(OWNER, owner);
    lock.put(LEASE_EXPIRES_AT, ts(until));
    return lock;
  }

  static Map<String, Object> errorMap(ErrorInfo error) {
    if (error == null) {
      return null;
    }
    Map<String, Object> m = new HashMap<>();
    m.put("transient", error.transientFailure());
    m.put("code", error.code());
    m.put("message", error.message());
    return m;
  }

  static Map<String, Object> eventMap(OutboxEvent event) {
    Map<String, Object> m = new HashMap<>();
    m.put(TYPE, event.type());
    m.put(ORDERING_KEY, event.orderingKey());
    m.put(ATTRIBUTES, event.attributes());
    m.put(DATA, event.data());
    m.put(CREATED_AT, ts(event.createdAt()));
    m.put(PUBLISHED, event.published());
    return m;
  }

  @SuppressWarnings("unchecked")
  static OutboxEvent toEvent(DocumentSnapshot doc) {
    return new OutboxEvent(
        doc.getId(),
        doc.getString(TYPE),
        doc.getString(ORDERING_KEY),
        (Map<String, String>) doc.get(ATTRIBUTES),
        doc.getString(DATA),
        instant(doc.get(CREATED_AT)),
        Boolean.TRUE.equals(doc.getBoolean(PUBLISHED)));
  }

  /** The document of a job (its id is the document id). */
  static Map<String, Object> jobDoc(Job job) {
    Map<String, Object> d = new HashMap<>();
    d.put(TYPE, job.type().ceType());
    d.put(ORG_SLUG, job.orgSlug());
    d.put(LOCK_KEY, job.lockKey());
    d.put(PRIORITY, job.priority());
    d.put(STATE, job.state().name());
    d.put(ATTEMPTS, job.attempts());
    d.put(EPOCH, job.epoch());
    d.put(NEXT_ATTEMPT_AT, ts(job.nextAttemptAt()));
    d.put(LEASE_OWNER, job.leaseOwner());
    d.put(LEASE_EXPIRES_AT, ts(job.leaseExpiresAt()));
    d.put(COMMAND_ID, job.commandId());
    d.put(IDEMPOTENCY_KEY, job.idempotencyKey());
    d.put(KEY_ID, job.keyId());
    d.put(FINGERPRINT, job.fingerprint());
    d.put(DATA, job.data());
    d.put(ATTRIBUTES, job.attributes());
    d.put(COMPLETED_STEPS, job.completedSteps());
    d.put(FACTS, job.facts());
    d.put(CREATED_AT, ts(job.createdAt()));
    d.put(UPDATED_AT, ts(job.updatedAt()));
    d.put(LAST_ERROR, errorMap(job.lastError()));
    if (job.trace() != null) {
      d.put(TRACE_PARENT, job.trace().traceparent());
      d.put(TRACE_STATE, job.trace().tracestate());
    }
    return d;
  }

  static Job toJob(DocumentSnapshot doc) {
    return toJob(doc.getId(), doc.getData());
  }

  @SuppressWarnings("unchecked")
  static Job toJob(String id, Map<String, Object> d) {
    Map<String, Object> err = (Map<String, Object>) d.get(LAST_ERROR);
    Number epoch = (Number) d.get(EPOCH);
    return new Job(
        id,
        CommandType.fromCeType((String) d.get(TYPE)).orElseThrow(),
        (String) d.get(ORG_SLUG),
        (String) d.get(LOCK_KEY),
        ((Number) d.get(PRIORITY)).intValue(),
        JobState.valueOf((String) d.get(STATE)),
        ((Number) d.get(ATTEMPTS)).intValue(),
        epoch == null ? 0 : epoch.longValue(),
        instant(d.get(NEXT_ATTEMPT_AT)),
        (String) d.get(LEASE_OWNER),
        instant(d.get(LEASE_EXPIRES_AT)),
        (String) d.get(COMMAND_ID),
        (String) d.get(IDEMPOTENCY_KEY),
        (String) d.get(KEY_ID),
        (String) d.get(FINGERPRINT),
        (String) d.get(DATA),
        (Map<String, String>) d.get(ATTRIBUTES),
        (List<String>) d.get(COMPLETED_STEPS),
        (Map<String, String>) d.get(FACTS),
        instant(d.get(CREATED_AT)),
        instant(d.get(UPDATED_AT)),
        err == null
            ? null
            : new ErrorInfo(
                Boolean.TRUE.equals(err.get("transient")),
                (String) err.get("code"),
                (String) err.get("message")),
        trace(d));
  }

  /** The job's trace; a document written before jobs had one (or with a bad one) has none. */
  private static TraceContext trace(Map<String, Object> d) {
    Map<String, String> fields = new HashMap<>();
    if (d.get(TRACE_PARENT) instanceof String parent) {
      fields.put(TraceContext.TRACEPARENT, parent);
    }
    if (d.get(TRACE_STATE) instanceof String state) {
      fields.put(TraceContext.TRACESTATE, state);
    }
    return TraceContext.from(fields).orElse(null);
  }

  /** A job document with some fields changed, read back as a job. */
  static Job merged(DocumentSnapshot doc, Map<String, Object> update) {
    Map<String, Object> merged = new HashMap<>(doc.getData());
    merged.putAll(update);
    return toJob(doc.getId(), merged);
  }
}
