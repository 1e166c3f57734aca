package dev.orgprovisioner.warehouse.bigquery;

import dev.orgprovisioner.warehouse.bigquery.BigQueryStub.ApiError;
import dev.orgprovisioner.warehouse.bigquery.BigQueryStub.Request;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BigQuery's published rate limits, enforced by {@link BigQueryStub} when switched on: a request
 * over a limit is answered 403 {@code rateLimitExceeded} (domain usageLimits, status
 * PERMISSION_DENIED), as BigQuery answers. Every window is multiplied by a time scale, so a test
 * can run BigQuery's seconds in milliseconds, and the clock is replaceable, so a test can step it.
 */
public final class StubQuotas {

  /**
   * The limits.
   *
   * @param tableUpdates metadata updates per table per {@code tableWindow} (tables.insert, patch,
   *     update)
   * @param partitionedTableUpdates the same for a partitioned table
   * @param datasetUpdates metadata updates per dataset per {@code datasetWindow} (datasets.insert,
   *     patch, update)
   * @param tableInserts tables.insert calls per user per {@code perUserWindow}
   * @param requestsPerMethod API requests per user per method per {@code perUserWindow}
   * @param dmlRunning mutating DML statements (UPDATE, DELETE, MERGE) running per table at once
   * @param dmlQueued mutating DML statements waiting per table behind the running ones
   * @param dmlDuration how long the stub counts one mutating DML statement as running (it answers
   *     at once and only accounts this, unless {@link #answerDmlWhenDone()})
   * @param concurrentRequests API requests per user being answered at once (a request counts from
   *     its admission until its answer is written)
   */
  public record Limits(
      int tableUpdates,
      int partitionedTableUpdates,
      Duration tableWindow,
      int datasetUpdates,
      Duration datasetWindow,
      int tableInserts,
      int requestsPerMethod,
      Duration perUserWindow,
      int dmlRunning,
      int dmlQueued,
      Duration dmlDuration,
      int concurrentRequests) {

    /** The limits of BigQuery's quotas page. */
    public static Limits published() {
      return new Limits(
          5,
          50,
          Duration.ofSeconds(10),
          5,
          Duration.ofSeconds(10),
          10,
          100,
          Duration.ofSeconds(1),
          2,
          20,
          Duration.ofSeconds(2),
          dev.orgprovisioner.warehouse.Quota.CONCURRENT_REQUESTS);
    }

    /** These limits with {@code n} concurrent requests (scaled down for a test). */
    public Limits withConcurrentRequests(int n) {
      return new Limits(
          tableUpdates,
          partitionedTableUpdates,
          tableWindow,
          datasetUpdates,
          datasetWindow,
          tableInserts,
          requestsPerMethod,
          perUserWindow,
          dmlRunning,
          dmlQueued,
          dmlDuration,
          n);
    }

    /**
     * BigQuery's metadata limits, requests per method and concurrent requests not limited, and at
     * most {@code dmlRunning} mutating statements per table running plus {@code dmlQueued} queued,
     * each taking {@code dmlDuration}.
     */
    public static Limits dmlOnly(int dmlRunning, int dmlQueued, Duration dmlDuration) {
      Limits p = published();
      return new Limits(
          p.tableUpdates,
          p.partitionedTableUpdates,
          p.tableWindow,
          p.datasetUpdates,
          p.datasetWindow,
          p.tableInserts,
          100_000,
          p.perUserWindow,
          dmlRunning,
          dmlQueued,
          dmlDuration,
          100_000);
    }
  }

  /** The quota classes, as counted in {@link #rejections()}. */
  public enum Quota {
    TABLE_METADATA_UPDATES,
    DATASET_METADATA_UPDATES,
    TABLES_INSERT,
    REQUESTS_PER_METHOD,
    CONCURRENT_REQUESTS,
    MUTATING_DML_QUEUE
  }

  private static final String HELP =
      " For more information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas";
  private static final Pattern DATASET =
      Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/:]+)");
  private static final Pattern TABLE =
      Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)");
  private static final Pattern TABLES =
      Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)/tables");
  private static final Pattern DATASETS = Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets");
  private static final Pattern MUTATING_DML =
      Pattern.compile("(?is)^\\s*(?:MERGE|UPDATE|DELETE)\\s+(?:INTO\\s+|FROM\\s+)?`([^`]+)`.*");

  private final Limits limits;
  private final double timeScale;
  private final LongSupplier nanos;
  private final Map<String, Deque<Long>> windows = new HashMap<>();
  // Per table: when each DML slot is next free (nanos), and the start times of admitted statements.
  private final Map<String, long[]> dmlSlots = new HashMap<>();
  private final Map<String, Deque<Long>> dmlStarts = new HashMap<>();
  private final Map<Quota, Integer> rejections = new TreeMap<>();
  private volatile boolean answerDmlWhenDone;
  private volatile long answerAfterNanos;
  private int inFlight;
  private int mostInFlight;

  /**
   * @param timeScale multiplies every window and the DML duration (1: BigQuery's real time; 0.01:
   *     ten seconds become 100 ms)
   * @param nanos the clock, in nanoseconds
   */
  public StubQuotas(Limits limits, double timeScale, LongSupplier nanos) {
    if (timeScale <= 0) {
      throw new IllegalArgumentException("timeScale must be positive: " + timeScale);
    }
    this.limits = limits;
    this.timeScale = timeScale;
    this.nanos = nanos;
  }

  /** Requests refused so far, per quota. */
  public synchronized Map<Quota, Integer> rejections() {
    return Map.copyOf(rejections);
  }

  /**
   * From now on a mutating DML statement is answered when it ends (its start, after the statements
   * queued before it, plus the DML duration), as BigQuery's job is done only then; without this the
   * stub answers at once and only accounts the time. On the real clock only.
   */
  public StubQuotas answerDmlWhenDone() {
    answerDmlWhenDone = true;
    return this;
  }

  /**
   * From now on every admitted request is answered {@code latency} (not scaled) after it arrived: a
   * slow server, so requests overlap. On the real clock only.
   */
  public StubQuotas answerAfter(Duration latency) {
    answerAfterNanos = latency.toNanos();
    return this;
  }

  /** The most requests being answered at once so far. */
  public synchronized int mostInFlight() {
    return mostInFlight;
  }

  /** An admitted request has been answered (its answer is about to be written): its place frees. */
  synchronized void answered() {
    inFlight--;
  }

  /**
   * Admits a request or throws the error BigQuery answers; {@code partitioned} tells whether a
   * table ({@code project:dataset.table}) is partitioned. A refused request consumes nothing; an
   * admitted one holds a concurrent place until {@link #answered()}. Returns when (on the clock)
   * the request may be answered: 0 for at once.
   */
  synchronized long admit(Request req, Predicate<String> partitioned) {
    long now = nanos.getAsLong();
    if (inFlight >= limits.concurrentRequests()) {
      // The wording BigQuery answers with (403; reason as the adapter classifies rate limits).
      throw refuse(
          Quota.CONCURRENT_REQUESTS,
          "Quota exceeded: Your user_method exceeded quota for concurrent api requests per user"
              + " per method.");
    }
    String method = apiMethod(req);
    Deque<Long> perMethod = window("method " + method, now, limits.perUserWindow());
    if (perMethod.size() >= limits.requestsPerMethod()) {
      throw refuse(
          Quota.REQUESTS_PER_METHOD,
          "Exceeded rate limits: too many api requests per user per method for this"
              + " user_method.");
    }
    LongSupplier consume = () -> 0;
    Matcher m;
    if (method.equals("tables.insert") && (m = TABLES.matcher(req.path())).matches()) {
      Deque<Long> inserts = window("tables.insert", now, limits.perUserWindow());
      if (inserts.size() >= limits.tableInserts()) {
        throw refuse(
            Quota.TABLES_INSERT, "Exceeded rate limits: too many tables.insert requests per user.");
      }
      String table =
          m.group(1)
              + ":"
              + m.group(2)
              + "."
              + req.body().path("tableReference").path("tableId").asText();
      Deque<Long> updates = tableUpdates(table, now, partitioned);
      consume =
          () -> {
            inserts.addLast(now);
            updates.addLast(now);
            return 0;
          };
    } else if ((method.equals("tables.patch") || method.equals("tables.update"))
        && (m = TABLE.matcher(req.path())).matches()) {
      Deque<Long> updates =
          tableUpdates(m.group(1) + ":" + m.group(2) + "." + m.group(3), now, partitioned);
      consume =
          () -> {
            updates.addLast(now);
            return 0;
          };
    } else if (method.startsWith("datasets.")
        && !method.equals("datasets.get")
        && !method.equals("datasets.list")
        && !method.equals("datasets.delete")
        && !method.equals("datasets.undelete")) {
      String dataset = datasetOf(req);
      Deque<Long> updates = window("dataset " + dataset, now, limits.datasetWindow());
      if (updates.size() >= limits.datasetUpdates()) {
        throw refuse(
            Quota.DATASET_METADATA_UPDATES,
            "Exceeded rate limits: too many dataset metadata update operations for this dataset.");
      }
      consume =
          () -> {
            updates.addLast(now);
            return 0;
          };
    } else if (req.isQuery() && (m = MUTATING_DML.matcher(req.sql())).matches()) {
      consume = admitDml(m.group(1), now);
    }
    long answerAt = consume.getAsLong();
    perMethod.addLast(now);
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    long slow = answerAfterNanos;
    return slow == 0 ? answerAt : Math.max(answerAt, now + slow);
  }

  /** Waits until {@code answerAt} on the clock (0: not at all): a DML statement's end. */
  void awaitAnswer(long answerAt) {
    long left;
    // The stub plays the statement's running time (simulated server work, not a test's wait).
    while (answerAt != 0
        && !Thread.currentThread().isInterrupted()
        && (left = answerAt - nanos.getAsLong()) > 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(left);
    }
  }

  private Deque<Long> tableUpdates(String table, long now, Predicate<String> partitioned) {
    Deque<Long> updates = window("table " + table, now, limits.tableWindow());
    int limit = partitioned.test(table) ? limits.partitionedTableUpdates() : limits.tableUpdates();
    if (updates.size() >= limit) {
      throw refuse(
          Quota.TABLE_METADATA_UPDATES,
          "Exceeded rate limits: too many table update operations for this table.");
    }
    return updates;
  }

  /**
   * A mutating DML statement on {@code table}: it starts when one of the table's running slots is
   * free and runs for the DML duration; refused when the queue before it is full.
   */
  private LongSupplier admitDml(String table, long now) {
    long[] slots = dmlSlots.computeIfAbsent(table, k -> new long[limits.dmlRunning()]);
    Deque<Long> starts = dmlStarts.computeIfAbsent(table, k -> new ArrayDeque<>());
    while (!starts.isEmpty() && starts.peekFirst() <= now) {
      starts.pollFirst();
    }
    if (starts.size() >= limits.dmlQueued()) {
      throw refuse(
          Quota.MUTATING_DML_QUEUE,
          "Exceeded rate limits: too many DML statements outstanding against table "
              + table
              + ", limit is "
              + limits.dmlQueued()
              + ".");
    }
    return () -> {
      int slot = 0;
      for (int i = 1; i < slots.length; i++) {
        if (slots[i] < slots[slot]) {
          slot = i;
        }
      }
      long start = Math.max(now, slots[slot]);
      slots[slot] = start + scaled(limits.dmlDuration());
      if (start > now) {
        starts.addLast(start);
      }
      return answerDmlWhenDone ? slots[slot] : 0;
    };
  }

  /** Mutating DML statements of {@code table} waiting (not yet running) now. */
  public synchronized int queuedDml(String table) {
    long now = nanos.getAsLong();
    Deque<Long> starts = dmlStarts.getOrDefault(table, new ArrayDeque<>());
    return (int) starts.stream().filter(s -> s > now).count();
  }

  private Deque<Long> window(String key, long now, Duration length) {
    long span = scaled(length);
    Deque<Long> times = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
    while (!times.isEmpty() && now - times.peekFirst() >= span) {
      times.pollFirst();
    }
    return times;
  }

  private long scaled(Duration d) {
    return Math.max(1, (long) (d.toNanos() * timeScale));
  }

  private ApiError refuse(Quota quota, String message) {
    rejections.merge(quota, 1, Integer::sum);
    return new ApiError(403, "rateLimitExceeded", message + HELP);
  }

  private static String datasetOf(Request req) {
    Matcher m = DATASET.matcher(req.path());
    if (m.lookingAt()) {
      return m.group(1) + ":" + m.group(2);
    }
    Matcher all = DATASETS.matcher(req.path());
    String project = all.matches() ? all.group(1) : "?";
    return project + ":" + req.body().path("datasetReference").path("datasetId").asText();
  }

  /**
   * The REST method a request calls, e.g. {@code tables.patch}: the per-method quota's key, named
   * as the adapter's pacing names it ({@link RestMethods}, whose names {@code RestMethodsTest}
   * checks against BigQuery's).
   */
  public static String apiMethod(Request req) {
    return RestMethods.of(req.method(), req.path());
  }
}
