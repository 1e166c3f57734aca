package dev.orgprovisioner.warehouse.bigquery;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** An in-memory BigQuery REST API (v2) on loopback that records requests and injects errors. */
public final class BigQueryStub implements AutoCloseable {

  /**
   * One request as received: method (after any override), path, query parameters, decoded JSON
   * body, and whether the body came gzip-compressed.
   */
  public record Request(
      String method,
      String path,
      Map<String, String> query,
      JsonNode body,
      boolean gzipped,
      String ifMatch) {

    /** A request without an If-Match precondition. */
    public Request(
        String method, String path, Map<String, String> query, JsonNode body, boolean gzipped) {
      this(method, path, query, body, gzipped, null);
    }

    public boolean is(String m, String pathRegex) {
      return method.equals(m) && path.matches(pathRegex);
    }

    /** Whether this request starts a query: jobs.query, or jobs.insert of a query job. */
    public boolean isQuery() {
      return method.equals("POST")
          && body != null
          && (path.endsWith("/queries")
              || (path.endsWith("/jobs") && body.path("configuration").has("query")));
    }

    /** A query's settings as sent: jobs.query's body, or jobs.insert's configuration.query. */
    public JsonNode queryConfig() {
      return path.endsWith("/jobs") ? body.path("configuration").path("query") : body;
    }

    /** A query's SQL text. */
    public String sql() {
      return queryConfig().path("query").asText();
    }
  }

  /** An error answered instead of the real response, {@code remaining} times. */
  private static final class Fault {
    final Predicate<Request> matches;
    int remaining;
    final int status;
    final String reason;
    final String message;

    Fault(Predicate<Request> matches, int times, int status, String reason, String message) {
      this.matches = matches;
      this.remaining = times;
      this.status = status;
      this.reason = reason;
      this.message = message;
    }
  }

  /** A thrown error that becomes a BigQuery error response. */
  static final class ApiError extends RuntimeException {
    final int status;
    final String reason;

    ApiError(int status, String reason, String message) {
      super(message);
      this.status = status;
      this.reason = reason;
    }
  }

  /** A finished query job and its result. */
  private record JobState(
      String project,
      String jobId,
      String location,
      ObjectNode queryConfig,
      String statementType,
      List<ObjectNode> schema,
      List<List<Object>> rows,
      long dmlAffected,
      boolean int64Timestamps,
      StubScanCosts.Scan scan) {}

  public static final String RESULTS_DATASET = "_stub_query_results";

  /** Names of the threads answering requests (the JDK server's own is "HTTP-Dispatcher"). */
  public static final String THREAD_PREFIX = "bq-stub-";

  private static final String PREFIX = "/bigquery/v2";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService executor;
  private final Object lock = new Object();
  private final Map<String, ObjectNode> datasets = new TreeMap<>();
  private final TreeMap<String, ObjectNode> tables = new TreeMap<>();
  private final Map<String, Deleted> deleted = new TreeMap<>();
  private final Map<String, List<Map<String, Object>>> data = new HashMap<>();
  // What INFORMATION_SCHEMA answers from while it lags (null: the live state, no lag).
  private Map<String, ObjectNode> laggedDatasets;
  private TreeMap<String, ObjectNode> laggedTables;
  // Only recent jobs keep their results: enough for paging, bounded for fleet-size benchmarks.
  private final Map<String, JobState> jobs =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobState> eldest) {
          return size() > 64;
        }
      };
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final AtomicLong clock = new AtomicLong(1_767_225_600_000L);
  private final StubScanCosts costs = new StubScanCosts();
  private volatile int pageRows = Integer.MAX_VALUE;
  // Authorized resources one access list may hold: BigQuery's 2,500 unless a test lowers it.
  private volatile int maxAuthorized = StubAccessLimits.MAX_AUTHORIZED_RESOURCES;
  // BigQuery's rate limits; null (the default): none enforced.
  private volatile StubQuotas quotas;
  // Hung requests wait for this (released on close), like a server that never answers.
  private final java.util.concurrent.CountDownLatch released =
      new java.util.concurrent.CountDownLatch(1);
  private static final int HANG = -1;

  static {
    // Must be set before the JDK's HTTP server reads its configuration, once per JVM: the build
    // sets it for every test JVM (pom.xml), this covers a stub started alone (an IDE run).
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private BigQueryStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    // Named, so a benchmark in the same JVM can tell the stub's CPU from the worker's.
    AtomicLong threads = new AtomicLong();
    executor =
        Executors.newFixedThreadPool(
            16, r -> new Thread(r, THREAD_PREFIX + threads.incrementAndGet()));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public static BigQueryStub start() {
    try {
      return new BigQueryStub();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Lowers the bound on authorized resources per access list (BigQuery's 2,500 by default) from now
   * on: a test goes past it with a tenth of the orgs, the same refusal at a smaller number.
   */
  public void limitAuthorizedResources(int max) {
    if (max < 1 || max > StubAccessLimits.MAX_AUTHORIZED_RESOURCES) {
      throw new IllegalArgumentException(
          "authorized resources per list: 1 to "
              + StubAccessLimits.MAX_AUTHORIZED_RESOURCES
              + ", not "
              + max);
    }
    maxAuthorized = max;
  }

  /**
   * Enforces BigQuery's published rate limits from now on (off by default), on the real clock with
   * every window multiplied by {@code timeScale}; returns them, to read what they refused.
   */
  public StubQuotas enforceQuotas(double timeScale) {
    return enforceQuotas(
        new StubQuotas(StubQuotas.Limits.published(), timeScale, System::nanoTime));
  }

  /** Enforces these limits from now on (a test's own clock or limits); null: none. */
  public StubQuotas enforceQuotas(StubQuotas limits) {
    quotas = limits;
    return limits;
  }

  private boolean partitioned(String table) {
    synchronized (lock) {
      ObjectNode t = tables.get(table);
      return t != null && (t.has("timePartitioning") || t.has("rangePartitioning"));
    }
  }

  /** The root URL to give the client as host override. */
  public String host() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  // ---------------------------------------------------------------- test controls

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  public List<Request> requests(String method, String pathRegex) {
    return requests().stream().filter(r -> r.is(method, pathRegex)).toList();
  }

  public void clearRequests() {
    requests.clear();
  }

  /** Answers the next {@code times} requests matching method and path with an error. */
  public void fail(String method, String pathRegex, int times, int status, String reason) {
    fail(r -> r.is(method, pathRegex), times, status, reason, defaultMessage(status, reason));
  }

  public void fail(Predicate<Request> which, int times, int status, String reason, String message) {
    synchronized (lock) {
      faults.add(new Fault(which, times, status, reason, message));
    }
  }

  /** Leaves the next {@code times} matching requests unanswered until the stub is closed. */
  public void hang(Predicate<Request> which, int times) {
    fail(which, times, HANG, "", "");
  }

  /**
   * Makes a table report {@code rows} rows spread over {@code partitions} partitions (numRows,
   * numBytes from its schema, numPartitions), whatever it holds; queries are costed by that size.
   */
  public void declareTableSize(
      String project, String dataset, String table, long rows, long partitions) {
    costs.declare(project + ":" + dataset + "." + table, rows, partitions);
  }

  /** What each statement run so far would read and be billed on BigQuery, in order. */
  public List<StubScanCosts.Scan> scans() {
    return costs.scans();
  }

  public void clearScans() {
    costs.clear();
  }

  /** Serves at most this many rows per result page, like BigQuery's response size limit. */
  public void pageRows(int rows) {
    this.pageRows = rows;
  }

  /**
   * From now on INFORMATION_SCHEMA answers from a copy of the state as it is now, while the REST
   * API keeps showing every later change, as BigQuery's metadata index trails its objects. Calling
   * it again refreshes the copy to the state at that moment.
   */
  public void lagInformationSchema() {
    synchronized (lock) {
      laggedDatasets = new TreeMap<>();
      datasets.forEach((k, d) -> laggedDatasets.put(k, d.deepCopy()));
      laggedTables = new TreeMap<>();
      tables.forEach((k, t) -> laggedTables.put(k, t.deepCopy()));
    }
  }

  /** Deletes a table or view behind the adapter's back, as a person in the console would. */
  public void dropTable(String project, String dataset, String table) {
    synchronized (lock) {
      tables.remove(project + ":" + dataset + "." + table);
    }
  }

  /** INFORMATION_SCHEMA answers from the live state again (it has caught up). */
  public void catchUpInformationSchema() {
    synchronized (lock) {
      laggedDatasets = null;
      laggedTables = null;
    }
  }

  /** Puts a dataset straight into the state (e.g. one another team owns). */
  public void putDataset(
      String project, String dataset, String location, Map<String, String> labels) {
    ObjectNode body = NODES.objectNode();
    body.putObject("datasetReference").put("projectId", project).put("datasetId", dataset);
    body.put("location", location);
    ObjectNode l = body.putObject("labels");
    labels.forEach(l::put);
    synchronized (lock) {
      storeDataset(project, body);
    }
  }

  /**
   * Copies a dataset with all its tables and views under a new name (fleet set-up); views that read
   * the source dataset read the copy instead.
   */
  public void cloneDataset(String project, String source, String target) {
    synchronized (lock) {
      ObjectNode ds = datasets.get(project + ":" + source).deepCopy();
      ((ObjectNode) ds.get("datasetReference")).put("datasetId", target);
      ds.put("id", project + ":" + target);
      datasets.put(project + ":" + target, ds);
      String prefix = project + ":" + source + ".";
      for (var e : List.copyOf(tables.entrySet())) {
        if (e.getKey().startsWith(prefix)) {
          // Shallow: clones share schema nodes, which are only ever replaced, never mutated.
          ObjectNode t = NODES.objectNode();
          t.setAll(e.getValue());
          String name = e.getKey().substring(prefix.length());
          t.set("tableReference", e.getValue().get("tableReference").deepCopy());
          ((ObjectNode) t.get("tableReference")).put("datasetId", target);
          t.put("id", project + ":" + target + "." + name);
          if (t.has("view")) {
            // A view reads its own dataset's tables, as if the provisioner had created it there.
            ObjectNode view = t.get("view").deepCopy();
            view.put(
                "query",
                view.path("query")
                    .asText()
                    .replace(
                        "`" + project + "." + source + ".", "`" + project + "." + target + "."));
            t.set("view", view);
          }
          tables.put(project + ":" + target + "." + name, t);
        }
      }
    }
  }

  public JsonNode dataset(String project, String dataset) {
    synchronized (lock) {
      ObjectNode d = datasets.get(project + ":" + dataset);
      return d == null ? null : d.deepCopy();
    }
  }

  public JsonNode table(String project, String dataset, String table) {
    synchronized (lock) {
      ObjectNode t = tables.get(project + ":" + dataset + "." + table);
      return t == null ? null : t.deepCopy();
    }
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  // ---------------------------------------------------------------- HTTP

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String override = ex.getRequestHeaders().getFirst("X-HTTP-Method-Override");
      if (override != null && method.equals("POST")) {
        method = override.toUpperCase(Locale.ROOT);
      }
      String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
      boolean gzipped = encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip");
      byte[] raw = readBody(ex, gzipped);
      JsonNode body = raw.length == 0 ? null : json.readTree(raw);
      Request req =
          new Request(
              method,
              ex.getRequestURI().getPath(),
              query(ex.getRequestURI().getRawQuery()),
              body,
              gzipped,
              ex.getRequestHeaders().getFirst("If-Match"));
      requests.add(req);
      Object response;
      int status = 200;
      StubQuotas limits = quotas;
      boolean admitted = false;
      try {
        Fault fault = takeFault(req);
        if (fault != null && fault.status == HANG) {
          try {
            released.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new ApiError(503, "backendError", "stub released a hung request");
        }
        if (fault != null) {
          throw new ApiError(fault.status, fault.reason, fault.message);
        }
        if (limits != null) {
          long answerAt = limits.admit(req, this::partitioned);
          admitted = true;
          limits.awaitAnswer(answerAt);
        }
        response = route(req);
        if (response == null) {
          status = 204;
        }
      } catch (ApiError e) {
        status = e.status;
        response = error(e.status, e.reason, e.getMessage());
      } catch (RuntimeException e) {
        status = 500;
        response = error(500, "internalError", "stub failure: " + e);
      }
      if (admitted) {
        // Before the answer is written: a client that read it may send its next request at once.
        limits.answered();
      }
      ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
      if (status == 204) {
        ex.sendResponseHeaders(204, -1);
        return;
      }
      // A sized body, not chunked: chunked replies from this server stall on Nagle's algorithm.
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      if (response instanceof Streamed s) {
        try (JsonGenerator g = json.getFactory().createGenerator(buf)) {
          s.write(g);
        }
      } else {
        json.writeValue(buf, response);
      }
      ex.sendResponseHeaders(status, buf.size());
      try (OutputStream out = ex.getResponseBody()) {
        byte[] bytes = buf.toByteArray();
        for (int off = 0; off < bytes.length; off += 1 << 16) {
          out.write(bytes, off, Math.min(1 << 16, bytes.length - off));
        }
      }
    }
  }

  /** A large response written straight to the socket. */
  private interface Streamed {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] readBody(HttpExchange ex, boolean gzipped) throws IOException {
    InputStream in = ex.getRequestBody();
    if (gzipped) {
      in = new GZIPInputStream(in);
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    in.transferTo(buf);
    return buf.toByteArray();
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String part : raw.split("&")) {
      int eq = part.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private Fault takeFault(Request req) {
    synchronized (lock) {
      for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
        Fault f = it.next();
        if (f.matches.test(req)) {
          if (--f.remaining <= 0) {
            it.remove();
          }
          return f;
        }
      }
      return null;
    }
  }

  private static ObjectNode error(int status, String reason, String message) {
    ObjectNode root = NODES.objectNode();
    ObjectNode e = root.putObject("error");
    e.put("code", status);
    e.put("message", message);
    ObjectNode item = e.putArray("errors").addObject();
    item.put("message", message);
    item.put("domain", status == 403 || status == 429 ? "usageLimits" : "global");
    item.put("reason", reason);
    e.put(
        "status",
        switch (status) {
          case 400 -> "INVALID_ARGUMENT";
          case 403 -> "PERMISSION_DENIED";
          case 404 -> "NOT_FOUND";
          case 409 -> "ALREADY_EXISTS";
          case 429 -> "RESOURCE_EXHAUSTED";
          case 503 -> "UNAVAILABLE";
          default -> "INTERNAL";
        });
    return root;
  }

  private static String defaultMessage(int status, String reason) {
    return switch (reason) {
      case "rateLimitExceeded" ->
          "Exceeded rate limits: too many table update operations for this table.";
      case "backendError" -> "Backend error. Job aborted.";
      case "invalid" -> "Invalid value for field.";
      default -> "Error " + status + " (" + reason + ")";
    };
  }

  private static final Pattern DATASETS = Pattern.compile("/projects/([^/]+)/datasets");
  private static final Pattern DATASET = Pattern.compile("/projects/([^/]+)/datasets/([^/:]+)");
  private static final Pattern UNDELETE =
      Pattern.compile("/projects/([^/]+)/datasets/([^/:]+):undelete");
  private static final Pattern TABLES =
      Pattern.compile("/projects/([^/]+)/datasets/([^/]+)/tables");
  private static final Pattern TABLE =
      Pattern.compile("/projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)");
  private static final Pattern TABLE_DATA =
      Pattern.compile("/projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)/data");
  private static final Pattern QUERIES = Pattern.compile("/projects/([^/]+)/queries");
  private static final Pattern QUERY_RESULTS = Pattern.compile("/projects/([^/]+)/queries/([^/]+)");
  private static final Pattern JOBS = Pattern.compile("/projects/([^/]+)/jobs");
  private static final Pattern JOB = Pattern.compile("/projects/([^/]+)/jobs/([^/]+)");

  private Object route(Request req) {
    if (!req.path().startsWith(PREFIX)) {
      throw new ApiError(404, "notFound", "Not found: " + req.path());
    }
    String p = req.path().substring(PREFIX.length());
    String m = req.method();
    Matcher x;
    synchronized (lock) {
      if ((x = DATASETS.matcher(p)).matches()) {
        return m.equals("POST")
            ? insertDataset(x.group(1), req.body())
            : listDatasets(x.group(1), req);
      }
      if ((x = UNDELETE.matcher(p)).matches() && m.equals("POST")) {
        return undeleteDataset(x.group(1), x.group(2));
      }
      if ((x = DATASET.matcher(p)).matches()) {
        return switch (m) {
          case "GET" -> requireDataset(x.group(1), x.group(2));
          case "PATCH", "PUT" -> {
            String etag = requireDataset(x.group(1), x.group(2)).path("etag").asText();
            if (req.ifMatch() != null && !req.ifMatch().equals(etag)) {
              throw new ApiError(412, "conditionNotMet", "Precondition check failed.");
            }
            yield patchDataset(x.group(1), x.group(2), req.body());
          }
          case "DELETE" ->
              deleteDataset(
                  x.group(1), x.group(2), "true".equals(req.query().get("deleteContents")));
          default -> throw new ApiError(400, "invalid", "unsupported " + m);
        };
      }
      if ((x = TABLES.matcher(p)).matches()) {
        return m.equals("POST")
            ? insertTable(x.group(1), x.group(2), req.body())
            : listTables(x.group(1), x.group(2));
      }
      if ((x = TABLE_DATA.matcher(p)).matches()) {
        return tableData(x.group(3), req.query());
      }
      if ((x = TABLE.matcher(p)).matches()) {
        return switch (m) {
          case "GET" -> {
            ObjectNode t = requireTable(x.group(1), x.group(2), x.group(3));
            yield costs.withSize(t, rowsOf(t).size());
          }
          case "PATCH", "PUT" -> patchTable(x.group(1), x.group(2), x.group(3), req.body());
          case "DELETE" -> {
            requireTable(x.group(1), x.group(2), x.group(3));
            tables.remove(x.group(1) + ":" + x.group(2) + "." + x.group(3));
            yield null;
          }
          default -> throw new ApiError(400, "invalid", "unsupported " + m);
        };
      }
      if ((x = QUERIES.matcher(p)).matches() && m.equals("POST")) {
        return jobsQuery(x.group(1), req.body());
      }
      if ((x = QUERY_RESULTS.matcher(p)).matches()) {
        return queryResults(x.group(2), req.query());
      }
      if ((x = JOBS.matcher(p)).matches() && m.equals("POST")) {
        return jobsInsert(x.group(1), req.body());
      }
      if ((x = JOB.matcher(p)).matches()) {
        return jobResource(requireJob(x.group(2)));
      }
    }
    throw new ApiError(404, "notFound", "Not found: " + m + " " + req.path());
  }

  // ---------------------------------------------------------------- datasets

  private ObjectNode insertDataset(String project, JsonNode body) {
    String id = body.path("datasetReference").path("datasetId").asText();
    if (!id.matches("[A-Za-z0-9_]{1,1024}")) {
      throw new ApiError(400, "invalid", "Invalid dataset ID \"" + id + "\".");
    }
    if (datasets.containsKey(project + ":" + id)) {
      throw new ApiError(409, "duplicate", "Already Exists: Dataset " + project + ":" + id);
    }
    return storeDataset(project, (ObjectNode) body);
  }

  private ObjectNode storeDataset(String project, ObjectNode body) {
    validateDatasetOptions(body);
    StubAccessLimits.check(
        project + ":" + body.path("datasetReference").path("datasetId").asText(),
        body,
        maxAuthorized);
    ObjectNode d = body.deepCopy();
    String id = d.path("datasetReference").path("datasetId").asText();
    ((ObjectNode) d.get("datasetReference")).put("projectId", project);
    d.put("kind", "bigquery#dataset");
    d.put("id", project + ":" + id);
    if (!d.hasNonNull("location")) {
      d.put("location", "US");
    }
    long now = clock.incrementAndGet();
    d.put("creationTime", String.valueOf(now));
    d.put("lastModifiedTime", String.valueOf(now));
    d.put("etag", UUID.randomUUID().toString());
    if (!d.has("access")) {
      // What BigQuery gives a new dataset: the project's basic roles, and its creator as owner.
      ArrayNode access = d.putArray("access");
      access.addObject().put("role", "OWNER").put("specialGroup", "projectOwners");
      access.addObject().put("role", "WRITER").put("specialGroup", "projectWriters");
      access.addObject().put("role", "READER").put("specialGroup", "projectReaders");
      access
          .addObject()
          .put("role", "OWNER")
          .put("userByEmail", "worker@stub.iam.gserviceaccount.com");
    }
    datasets.put(project + ":" + id, d);
    return d;
  }

  private ObjectNode requireDataset(String project, String id) {
    ObjectNode d = datasets.get(project + ":" + id);
    if (d == null) {
      throw new ApiError(404, "notFound", "Not found: Dataset " + project + ":" + id);
    }
    return d;
  }

  /** BigQuery's limits on dataset options, answered as its 400 "invalid" errors. */
  private static void validateDatasetOptions(JsonNode body) {
    if (body.hasNonNull("maxTimeTravelHours")) {
      long hours = Long.parseLong(body.get("maxTimeTravelHours").asText());
      if (hours < 48 || hours > 168 || hours % 24 != 0) {
        throw new ApiError(
            400,
            "invalid",
            "The maximum time travel window must be between 48 and 168 hours and a multiple of"
                + " 24 hours: "
                + hours);
      }
    }
    if (body.hasNonNull("defaultTableExpirationMs")
        && Long.parseLong(body.get("defaultTableExpirationMs").asText()) < 3_600_000L) {
      throw new ApiError(
          400, "invalid", "Default table expiration must be at least 3600000 milliseconds.");
    }
    if (body.hasNonNull("defaultPartitionExpirationMs")
        && Long.parseLong(body.get("defaultPartitionExpirationMs").asText()) <= 0) {
      throw new ApiError(400, "invalid", "Default partition expiration must be positive.");
    }
    JsonNode kms = body.path("defaultEncryptionConfiguration").path("kmsKeyName");
    if (kms.isTextual()
        && !kms.asText()
            .matches("projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+")) {
      throw new ApiError(400, "invalid", "Invalid Cloud KMS key name: " + kms.asText());
    }
  }

  private ObjectNode patchDataset(String project, String id, JsonNode body) {
    validateDatasetOptions(body);
    StubAccessLimits.check(project + ":" + id, body, maxAuthorized);
    ObjectNode d = requireDataset(project, id);
    body.fields()
        .forEachRemaining(
            e -> {
              switch (e.getKey()) {
                case "labels" -> mergeLabels(d, e.getValue());
                case "datasetReference", "id", "kind", "etag", "creationTime" -> {}
                case "location" -> {
                  if (!e.getValue().asText().equalsIgnoreCase(d.path("location").asText())) {
                    throw new ApiError(400, "invalid", "Cannot change dataset location.");
                  }
                }
                default -> d.set(e.getKey(), e.getValue());
              }
            });
    d.put("lastModifiedTime", String.valueOf(clock.incrementAndGet()));
    d.put("etag", UUID.randomUUID().toString());
    return d;
  }

  private Object deleteDataset(String project, String id, boolean withContents) {
    requireDataset(project, id);
    String key = project + ":" + id;
    SortedMap<String, ObjectNode> contents = new TreeMap<>(tables.subMap(key + ".", key + "/"));
    if (!contents.isEmpty() && !withContents) {
      throw new ApiError(
          400, "resourceInUse", "Dataset " + key + " is still in use (deleteContents not set)");
    }
    // Kept for datasets.undelete, as BigQuery's time travel keeps it.
    Map<String, List<Map<String, Object>>> rows = new HashMap<>();
    data.entrySet()
        .removeIf(
            e -> e.getKey().startsWith(key + ".") && rows.put(e.getKey(), e.getValue()) == null);
    deleted.put(key, new Deleted(datasets.remove(key), contents, rows));
    tables.keySet().removeAll(contents.keySet());
    return null;
  }

  /** A deleted dataset with its tables, as datasets.undelete brings it back. */
  private record Deleted(
      ObjectNode dataset,
      SortedMap<String, ObjectNode> tables,
      Map<String, List<Map<String, Object>>> rows) {}

  private Object undeleteDataset(String project, String id) {
    String key = project + ":" + id;
    if (datasets.containsKey(key)) {
      throw new ApiError(409, "duplicate", "Already Exists: Dataset " + key);
    }
    Deleted gone = deleted.remove(key);
    if (gone == null) {
      throw new ApiError(404, "notFound", "Not found: deleted dataset " + key);
    }
    datasets.put(key, gone.dataset());
    tables.putAll(gone.tables());
    data.putAll(gone.rows());
    return gone.dataset();
  }

  private static void mergeLabels(ObjectNode target, JsonNode labels) {
    ObjectNode current =
        target.has("labels") ? (ObjectNode) target.get("labels") : target.putObject("labels");
    labels
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isNull()) {
                current.remove(e.getKey());
              } else {
                current.set(e.getKey(), e.getValue());
              }
            });
  }

  private ObjectNode listDatasets(String project, Request req) {
    String filter = req.query().getOrDefault("filter", "");
    ObjectNode out = NODES.objectNode();
    out.put("kind", "bigquery#datasetList");
    ArrayNode items = out.putArray("datasets");
    for (ObjectNode d : datasets.values()) {
      if (!d.path("datasetReference").path("projectId").asText().equals(project)
          || !matchesLabelFilter(d.path("labels"), filter)) {
        continue;
      }
      ObjectNode item = items.addObject();
      item.put("kind", "bigquery#dataset");
      item.put("id", d.path("id").asText());
      item.set("datasetReference", d.get("datasetReference"));
      if (d.has("labels")) {
        item.set("labels", d.get("labels"));
      }
      item.put("location", d.path("location").asText());
    }
    return out;
  }

  /** {@code labels.k:v labels.k2} — every term must hold. */
  private static boolean matchesLabelFilter(JsonNode labels, String filter) {
    for (String term : filter.trim().split("\\s+")) {
      if (term.isEmpty()) {
        continue;
      }
      if (!term.startsWith("labels.")) {
        throw new ApiError(400, "invalid", "Invalid filter: " + filter);
      }
      String[] kv = term.substring("labels.".length()).split(":", 2);
      JsonNode v = labels.get(kv[0]);
      if (v == null || (kv.length == 2 && !v.asText().equals(kv[1]))) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- tables

  private ObjectNode insertTable(String project, String dataset, JsonNode body) {
    requireDataset(project, dataset);
    String id = body.path("tableReference").path("tableId").asText();
    String key = project + ":" + dataset + "." + id;
    if (tables.containsKey(key)) {
      throw new ApiError(409, "duplicate", "Already Exists: Table " + key);
    }
    ObjectNode t = ((ObjectNode) body).deepCopy();
    boolean view = t.has("view");
    if (!view) {
      validateFields(t.path("schema").path("fields"), "");
      validatePartitioning(t);
    }
    ((ObjectNode) t.get("tableReference")).put("projectId", project).put("datasetId", dataset);
    t.put("kind", "bigquery#table");
    t.put("id", key);
    t.put("type", view ? "VIEW" : "TABLE");
    t.put("location", datasets.get(project + ":" + dataset).path("location").asText());
    long now = clock.incrementAndGet();
    t.put("creationTime", String.valueOf(now));
    t.put("lastModifiedTime", String.valueOf(now));
    t.put("etag", UUID.randomUUID().toString());
    tables.put(key, t);
    return t;
  }

  private ObjectNode requireTable(String project, String dataset, String id) {
    requireDataset(project, dataset);
    ObjectNode t = tables.get(project + ":" + dataset + "." + id);
    if (t == null) {
      throw new ApiError(404, "notFound", "Not found: Table " + project + ":" + dataset + "." + id);
    }
    return t;
  }

  private ObjectNode patchTable(String project, String dataset, String id, JsonNode body) {
    ObjectNode t = requireTable(project, dataset, id);
    if (body.has("schema")) {
      checkSchemaEvolution(t.path("schema").path("fields"), body.path("schema").path("fields"), "");
    }
    if (body.has("timePartitioning")) {
      JsonNode have = t.path("timePartitioning");
      JsonNode want = body.get("timePartitioning");
      if (!have.path("type").asText().equals(want.path("type").asText())
          || !have.path("field").asText().equals(want.path("field").asText())) {
        throw new ApiError(
            400, "invalid", "Cannot change partitioning spec for a partitioned table.");
      }
    }
    body.fields()
        .forEachRemaining(
            e -> {
              switch (e.getKey()) {
                case "labels" -> mergeLabels(t, e.getValue());
                case "tableReference", "id", "kind", "etag", "creationTime", "type" -> {}
                default -> t.set(e.getKey(), e.getValue());
              }
            });
    validatePartitioning(t);
    t.put("lastModifiedTime", String.valueOf(clock.incrementAndGet()));
    t.put("etag", UUID.randomUUID().toString());
    return t;
  }

  private ObjectNode listTables(String project, String dataset) {
    requireDataset(project, dataset);
    ObjectNode out = NODES.objectNode();
    out.put("kind", "bigquery#tableList");
    ArrayNode items = out.putArray("tables");
    String prefix = project + ":" + dataset + ".";
    tables.forEach(
        (k, t) -> {
          if (k.startsWith(prefix)) {
            ObjectNode item = items.addObject();
            item.put("kind", "bigquery#table");
            item.put("id", k);
            item.set("tableReference", t.get("tableReference"));
            item.put("type", t.path("type").asText());
          }
        });
    out.put("totalItems", items.size());
    return out;
  }

  private static final Set<String> TYPES =
      Set.of(
          "STRING",
          "BYTES",
          "INTEGER",
          "INT64",
          "FLOAT",
          "FLOAT64",
          "NUMERIC",
          "BIGNUMERIC",
          "BOOLEAN",
          "BOOL",
          "TIMESTAMP",
          "DATE",
          "TIME",
          "DATETIME",
          "GEOGRAPHY",
          "JSON",
          "RECORD",
          "STRUCT");

  private static void validateFields(JsonNode fields, String parent) {
    Set<String> seen = new java.util.HashSet<>();
    for (JsonNode f : fields) {
      String name = f.path("name").asText();
      String type = f.path("type").asText();
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        throw new ApiError(400, "invalid", "Field " + parent + name + " already exists in schema");
      }
      if (!TYPES.contains(type)) {
        throw new ApiError(400, "invalid", "Invalid field type " + type + " for " + name);
      }
      if (isRecord(f)) {
        if (!f.has("fields") || f.get("fields").isEmpty()) {
          throw new ApiError(
              400, "invalid", "Field " + parent + name + " is type RECORD but has no schema");
        }
        validateFields(f.get("fields"), parent + name + ".");
      }
    }
  }

  private static void validatePartitioning(ObjectNode t) {
    JsonNode tp = t.get("timePartitioning");
    JsonNode fields = t.path("schema").path("fields");
    if (tp != null && tp.has("field")) {
      JsonNode f = findField(fields, tp.get("field").asText());
      if (f == null || !Set.of("DATE", "TIMESTAMP", "DATETIME").contains(f.path("type").asText())) {
        throw new ApiError(
            400,
            "invalid",
            "The field specified for time partitioning can only be of type"
                + " TIMESTAMP, DATE or DATETIME. The type found is: "
                + (f == null ? "missing" : f.path("type").asText()));
      }
    }
    JsonNode clustering = t.path("clustering").path("fields");
    if (clustering.size() > 4) {
      throw new ApiError(400, "invalid", "Too many clustering fields: " + clustering.size());
    }
    for (JsonNode c : clustering) {
      if (findField(fields, c.asText()) == null) {
        throw new ApiError(
            400, "invalid", "The field specified for clustering cannot be found in the schema.");
      }
    }
  }

  private static void checkSchemaEvolution(JsonNode have, JsonNode want, String parent) {
    for (JsonNode old : have) {
      String name = old.path("name").asText();
      JsonNode now = findField(want, name);
      if (now == null) {
        throw new ApiError(
            400,
            "invalid",
            "Provided Schema does not match Table. Field "
                + parent
                + name
                + " is missing in new"
                + " schema");
      }
      if (!canonicalType(old).equals(canonicalType(now))) {
        throw new ApiError(
            400,
            "invalid",
            "Provided Schema does not match Table. Field "
                + parent
                + name
                + " has changed type"
                + " from "
                + old.path("type").asText()
                + " to "
                + now.path("type").asText());
      }
      String from = mode(old);
      String to = mode(now);
      if (!from.equals(to) && !(from.equals("REQUIRED") && to.equals("NULLABLE"))) {
        throw new ApiError(
            400,
            "invalid",
            "Provided Schema does not match Table. Field "
                + parent
                + name
                + " has changed mode"
                + " from "
                + from
                + " to "
                + to);
      }
      if (isRecord(old)) {
        checkSchemaEvolution(old.path("fields"), now.path("fields"), parent + name + ".");
      }
    }
    for (JsonNode f : want) {
      if (findField(have, f.path("name").asText()) == null && mode(f).equals("REQUIRED")) {
        throw new ApiError(
            400,
            "invalid",
            "Provided Schema does not match Table. Cannot add required field "
                + parent
                + f.path("name").asText());
      }
    }
    validateFields(want, parent);
  }

  private static JsonNode findField(JsonNode fields, String name) {
    for (JsonNode f : fields) {
      if (f.path("name").asText().equalsIgnoreCase(name)) {
        return f;
      }
    }
    return null;
  }

  private static String mode(JsonNode f) {
    return f.hasNonNull("mode") ? f.get("mode").asText() : "NULLABLE";
  }

  private static boolean isRecord(JsonNode f) {
    String t = f.path("type").asText();
    return t.equals("RECORD") || t.equals("STRUCT");
  }

  private static String canonicalType(JsonNode f) {
    return switch (f.path("type").asText()) {
      case "INT64" -> "INTEGER";
      case "FLOAT64" -> "FLOAT";
      case "BOOL" -> "BOOLEAN";
      case "STRUCT" -> "RECORD";
      default -> f.path("type").asText();
    };
  }

  // ---------------------------------------------------------------- jobs

  private ObjectNode jobsQuery(String project, JsonNode request) {
    StubJobChecks.check(request);
    JobState job =
        execute(
            project,
            request.path("query").asText(),
            request.path("queryParameters"),
            request.path("location").asText(null),
            request,
            request.path("formatOptions").path("useInt64Timestamp").asBoolean(false));
    ObjectNode out = NODES.objectNode();
    out.put("kind", "bigquery#queryResponse");
    out.set("jobReference", jobReference(job));
    out.put("jobComplete", true);
    out.put("cacheHit", false);
    out.put("totalBytesProcessed", String.valueOf(job.scan().bytesRead()));
    out.put("queryId", job.jobId());
    if (job.schema() == null) {
      // DML: like BigQuery, no schema; the client then reads the job and its results.
      out.put("numDmlAffectedRows", String.valueOf(job.dmlAffected()));
      return out;
    }
    int limit = request.hasNonNull("maxResults") ? request.get("maxResults").asInt() : pageRows;
    return page(out, job, 0, Math.min(limit, pageRows));
  }

  private ObjectNode jobsInsert(String project, JsonNode body) {
    JsonNode q = body.path("configuration").path("query");
    StubJobChecks.check(body.path("configuration"));
    String jobId = body.path("jobReference").path("jobId").asText(UUID.randomUUID().toString());
    JobState job =
        execute(
            project,
            q.path("query").asText(),
            q.path("queryParameters"),
            body.path("jobReference").path("location").asText(null),
            q,
            false);
    jobs.remove(job.jobId());
    JobState renamed =
        new JobState(
            job.project(),
            jobId,
            job.location(),
            job.queryConfig(),
            job.statementType(),
            job.schema(),
            job.rows(),
            job.dmlAffected(),
            job.int64Timestamps(),
            job.scan());
    jobs.put(jobId, renamed);
    return jobResource(renamed);
  }

  private JobState requireJob(String id) {
    JobState job = jobs.get(id);
    if (job == null) {
      throw new ApiError(404, "notFound", "Not found: Job " + id);
    }
    return job;
  }

  private ObjectNode queryResults(String jobId, Map<String, String> params) {
    JobState job = requireJob(jobId);
    ObjectNode out = NODES.objectNode();
    out.put("kind", "bigquery#getQueryResultsResponse");
    out.set("jobReference", jobReference(job));
    out.put("jobComplete", true);
    out.put("cacheHit", false);
    if (job.schema() == null) {
      out.put("totalRows", "0");
      out.put("numDmlAffectedRows", String.valueOf(job.dmlAffected()));
      return out;
    }
    int start = offset(params);
    int max =
        params.containsKey("maxResults") ? Integer.parseInt(params.get("maxResults")) : pageRows;
    return page(out, job, start, Math.min(max, pageRows));
  }

  private Object tableData(String table, Map<String, String> params) {
    JobState job = requireJob(table);
    int start = offset(params);
    int max =
        params.containsKey("maxResults") ? Integer.parseInt(params.get("maxResults")) : pageRows;
    int end = pageEnd(job, start, Math.min(max, pageRows));
    boolean int64 = "true".equals(params.get("formatOptions.useInt64Timestamp"));
    return (Streamed)
        g -> {
          g.writeStartObject();
          g.writeStringField("kind", "bigquery#tableDataList");
          g.writeStringField("totalRows", String.valueOf(job.rows().size()));
          if (end < job.rows().size()) {
            g.writeStringField("pageToken", String.valueOf(end));
          }
          writeRows(g, job, start, end, int64);
          g.writeEndObject();
        };
  }

  /** BigQuery pages results at about 10 MB as well as by row count. */
  private static final int PAGE_BYTES = 10 * 1024 * 1024;

  private static int pageEnd(JobState job, int start, int maxRows) {
    int end = start;
    long bytes = 0;
    while (end < job.rows().size() && end - start < maxRows && bytes < PAGE_BYTES) {
      for (Object cell : job.rows().get(end)) {
        bytes += 12 + (cell == null ? 4 : cell.toString().length());
      }
      end++;
    }
    return end;
  }

  private static int offset(Map<String, String> params) {
    if (params.containsKey("pageToken")) {
      return Integer.parseInt(params.get("pageToken"));
    }
    return params.containsKey("startIndex") ? Integer.parseInt(params.get("startIndex")) : 0;
  }

  private ObjectNode page(ObjectNode out, JobState job, int start, int max) {
    ArrayNode fields = out.putObject("schema").putArray("fields");
    job.schema().forEach(fields::add);
    out.put("totalRows", String.valueOf(job.rows().size()));
    int end = pageEnd(job, start, Math.max(0, max));
    if (end < job.rows().size()) {
      out.put("pageToken", String.valueOf(end));
    }
    ArrayNode rows = out.putArray("rows");
    for (int i = start; i < end; i++) {
      ArrayNode cells = rows.addObject().putArray("f");
      List<Object> row = job.rows().get(i);
      for (int c = 0; c < row.size(); c++) {
        Object v = render(row.get(c), job.schema().get(c), job.int64Timestamps());
        if (v == null) {
          cells.addObject().putNull("v");
        } else {
          cells.addObject().put("v", v.toString());
        }
      }
    }
    return out;
  }

  private static void writeRows(JsonGenerator g, JobState job, int start, int end, boolean int64)
      throws IOException {
    g.writeArrayFieldStart("rows");
    for (int i = start; i < end; i++) {
      g.writeStartObject();
      g.writeArrayFieldStart("f");
      List<Object> row = job.rows().get(i);
      for (int c = 0; c < row.size(); c++) {
        Object v = render(row.get(c), job.schema().get(c), int64);
        g.writeStartObject();
        if (v == null) {
          g.writeNullField("v");
        } else {
          g.writeStringField("v", v.toString());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static Object render(Object v, ObjectNode field, boolean int64Timestamps) {
    if (v == null) {
      return null;
    }
    if (field.path("type").asText().equals("TIMESTAMP") && v instanceof Long micros) {
      return int64Timestamps ? micros.toString() : BigDecimal.valueOf(micros, 6).toPlainString();
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return v;
  }

  private ObjectNode jobResource(JobState job) {
    ObjectNode out = NODES.objectNode();
    out.put("kind", "bigquery#job");
    out.put("id", job.project() + ":" + job.location() + "." + job.jobId());
    out.set("jobReference", jobReference(job));
    ObjectNode config = out.putObject("configuration");
    config.put("jobType", "QUERY");
    ObjectNode q = config.putObject("query");
    q.put("query", job.queryConfig().path("query").asText());
    q.put("useLegacySql", false);
    if (job.queryConfig().has("maximumBytesBilled")) {
      q.set("maximumBytesBilled", job.queryConfig().get("maximumBytesBilled"));
    }
    if (job.schema() != null) {
      q.putObject("destinationTable")
          .put("projectId", job.project())
          .put("datasetId", RESULTS_DATASET)
          .put("tableId", job.jobId());
    }
    out.putObject("status").put("state", "DONE");
    ObjectNode stats = out.putObject("statistics");
    long now = clock.get();
    stats.put("creationTime", String.valueOf(now));
    stats.put("startTime", String.valueOf(now));
    stats.put("endTime", String.valueOf(now));
    ObjectNode qs = stats.putObject("query");
    qs.put("statementType", job.statementType());
    qs.put("totalBytesProcessed", String.valueOf(job.scan().bytesRead()));
    qs.put("totalBytesBilled", String.valueOf(job.scan().bytesBilled()));
    stats.put("totalBytesProcessed", String.valueOf(job.scan().bytesRead()));
    if (job.schema() == null) {
      qs.put("numDmlAffectedRows", String.valueOf(job.dmlAffected()));
    }
    return out;
  }

  private static ObjectNode jobReference(JobState job) {
    ObjectNode ref = NODES.objectNode();
    ref.put("projectId", job.project());
    ref.put("jobId", job.jobId());
    ref.put("location", job.location());
    return ref;
  }

  // ---------------------------------------------------------------- query engine

  private static final Pattern INFO =
      Pattern.compile(
          "(?s)^SELECT (.+?) FROM `([^`]+)`\\.`region-([a-z0-9-]+)`\\.INFORMATION_SCHEMA\\.(\\w+)"
              + " WHERE (.*)$");
  private static final Pattern INSERT =
      Pattern.compile("(?s)^INSERT INTO `([^`]+)` \\((.*?)\\) VALUES (.*)$");
  private static final Pattern MERGE =
      Pattern.compile(
          "(?s)^MERGE `([^`]+)` T USING \\((.*)\\) S ON (.*?)"
              + "(?: WHEN MATCHED THEN UPDATE SET (.*?))?"
              + " WHEN NOT MATCHED THEN INSERT \\((.*?)\\) VALUES \\((.*)\\)$");
  private static final Pattern SELECT =
      Pattern.compile("(?s)^SELECT \\* FROM `([^`]+)`(?: WHERE (.*?))? LIMIT (\\d+)$");

  private JobState execute(
      String project,
      String sql,
      JsonNode params,
      String location,
      JsonNode config,
      boolean int64Timestamps) {
    Map<String, JsonNode> named = new HashMap<>();
    for (JsonNode p : params) {
      named.put(p.path("name").asText(), p);
    }
    String jobId = "job_" + UUID.randomUUID().toString().replace("-", "");
    String loc = location == null ? "US" : location;
    ObjectNode cfg = ((ObjectNode) config).deepCopy();
    Matcher m;
    StubScanCosts.Scan scan;
    if ((m = INFO.matcher(sql)).matches()) {
      costs.admit(scan = StubScanCosts.metadata(m.group(4)), config);
      List<ObjectNode> schema = new ArrayList<>();
      List<List<Object>> rows = informationSchema(m, named, schema);
      return store(
          new JobState(project, jobId, loc, cfg, "SELECT", schema, rows, 0, int64Timestamps, scan));
    }
    if ((m = INSERT.matcher(sql)).matches()) {
      costs.admit(scan = StubScanCosts.none("INSERT", targetTable(m.group(1))), config);
      long n = insert(m, named);
      return store(new JobState(project, jobId, loc, cfg, "INSERT", null, null, n, false, scan));
    }
    if ((m = MERGE.matcher(sql)).matches()) {
      ObjectNode table = targetTable(m.group(1));
      costs.admit(
          scan = costs.read("MERGE", table, rowsOf(table).size(), partitionFilter(table, m, named)),
          config);
      long n = merge(m, named);
      return store(new JobState(project, jobId, loc, cfg, "MERGE", null, null, n, false, scan));
    }
    if ((m = SELECT.matcher(sql)).matches()) {
      ObjectNode table = targetTable(m.group(1));
      costs.admit(
          scan =
              costs.read(
                  "SELECT", table, rowsOf(table).size(), selectFilter(table, m.group(2), named)),
          config);
      List<ObjectNode> schema = new ArrayList<>();
      List<List<Object>> rows = select(m, named, schema);
      return store(
          new JobState(project, jobId, loc, cfg, "SELECT", schema, rows, 0, int64Timestamps, scan));
    }
    throw new ApiError(400, "invalidQuery", "Syntax error: the stub does not understand: " + sql);
  }

  private JobState store(JobState job) {
    jobs.put(job.jobId(), job);
    return job;
  }

  // ---- INFORMATION_SCHEMA

  private List<List<Object>> informationSchema(
      Matcher m, Map<String, JsonNode> params, List<ObjectNode> schema) {
    String project = m.group(2);
    String region = m.group(3);
    String view = m.group(4);
    String where = m.group(5);
    Matcher in = Pattern.compile("IN UNNEST\\(@(\\w+)\\)").matcher(where);
    if (!in.find() || !params.containsKey(in.group(1))) {
      throw new ApiError(400, "invalidQuery", "Query parameter '" + where + "' not found");
    }
    Set<String> wanted = new java.util.HashSet<>();
    params
        .get(in.group(1))
        .path("parameterValue")
        .path("arrayValues")
        .forEach(v -> wanted.add(v.path("value").asText()));
    Set<String> options = null;
    Matcher opt = Pattern.compile("option_name IN \\(([^)]*)\\)").matcher(where);
    if (opt.find()) {
      options = new java.util.HashSet<>();
      for (String o : opt.group(1).split(",")) {
        options.add(o.trim().replace("'", ""));
      }
    }
    List<String> items = selectList(m.group(1));
    List<String> columns = items.stream().map(BigQueryStub::alias).toList();
    // TO_JSON_STRING(ARRAY_AGG(STRUCT(a, b))) AS x ... GROUP BY: one row per group.
    Map<String, List<String>> aggregates = new HashMap<>();
    for (String item : items) {
      Matcher agg = AGGREGATE.matcher(item);
      if (agg.matches()) {
        aggregates.put(alias(item), List.of(agg.group(1).trim().split("\\s*,\\s*")));
      }
    }
    Matcher groupBy = Pattern.compile("GROUP BY (.*)$").matcher(where);
    List<String> groupColumns =
        groupBy.find() ? List.of(groupBy.group(1).trim().split("\\s*,\\s*")) : null;
    Map<List<Object>, List<Map<String, Object>>> groups = new LinkedHashMap<>();
    for (String c : columns) {
      boolean integer = c.equals("ordinal_position") || c.equals("clustering_ordinal_position");
      ObjectNode f = NODES.objectNode();
      f.put("name", c);
      f.put("type", integer ? "INTEGER" : "STRING");
      f.put("mode", "NULLABLE");
      schema.add(f);
    }
    List<List<Object>> out = new ArrayList<>();
    Set<String> optionFilter = options;
    Consumer<Map<String, Object>> emit =
        row -> {
          if (optionFilter != null
              && row.containsKey("option_name")
              && !optionFilter.contains(row.get("option_name"))) {
            return;
          }
          if (groupColumns != null) {
            List<Object> key = new ArrayList<>();
            groupColumns.forEach(g -> key.add(row.get(g)));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
            return;
          }
          List<Object> cells = new ArrayList<>(columns.size());
          for (String c : columns) {
            cells.add(row.get(c));
          }
          out.add(cells);
        };
    for (ObjectNode d : (laggedDatasets != null ? laggedDatasets : datasets).values()) {
      String ds = d.path("datasetReference").path("datasetId").asText();
      if (!d.path("datasetReference").path("projectId").asText().equals(project)
          || !d.path("location").asText().equalsIgnoreCase(region)
          || !wanted.contains(ds)) {
        continue;
      }
      switch (view) {
        case "SCHEMATA" ->
            emit.accept(Map.of("schema_name", ds, "location", d.path("location").asText()));
        case "SCHEMATA_OPTIONS" -> {
          if (d.hasNonNull("description")) {
            emit.accept(
                option(
                    "schema_name",
                    ds,
                    null,
                    "description",
                    "STRING",
                    literal(d.get("description").asText())));
          }
          if (d.has("labels") && !d.get("labels").isEmpty()) {
            emit.accept(
                option(
                    "schema_name",
                    ds,
                    null,
                    "labels",
                    "ARRAY<STRUCT<STRING, STRING>>",
                    labels(d.get("labels"))));
          }
          datasetOptions(ds, d, emit);
        }
        default -> {
          for (ObjectNode t : tablesOf(project, ds)) {
            tableRows(view, ds, t, emit);
          }
        }
      }
    }
    for (List<Map<String, Object>> group : groups.values()) {
      List<Object> cells = new ArrayList<>(columns.size());
      for (String c : columns) {
        List<String> fields = aggregates.get(c);
        cells.add(fields == null ? group.get(0).get(c) : jsonArray(group, fields));
      }
      out.add(cells);
    }
    return out;
  }

  /** The dataset options beyond description and labels, as SCHEMATA_OPTIONS lists those set. */
  private static void datasetOptions(String ds, ObjectNode d, Consumer<Map<String, Object>> emit) {
    for (String[] o :
        List.of(
            new String[] {"defaultTableExpirationMs", "default_table_expiration_days"},
            new String[] {"defaultPartitionExpirationMs", "default_partition_expiration_days"})) {
      if (d.hasNonNull(o[0])) {
        double days = Long.parseLong(d.get(o[0]).asText()) / 86_400_000.0;
        emit.accept(option("schema_name", ds, null, o[1], "FLOAT64", Double.toString(days)));
      }
    }
    if (d.hasNonNull("maxTimeTravelHours")) {
      emit.accept(
          option(
              "schema_name",
              ds,
              null,
              "max_time_travel_hours",
              "INT64",
              d.get("maxTimeTravelHours").asText()));
    }
    JsonNode kms = d.path("defaultEncryptionConfiguration").path("kmsKeyName");
    if (kms.isTextual()) {
      emit.accept(
          option("schema_name", ds, null, "default_kms_key_name", "STRING", literal(kms.asText())));
    }
  }

  private static final Pattern AGGREGATE =
      Pattern.compile("(?s)TO_JSON_STRING\\(ARRAY_AGG\\(STRUCT\\((.*)\\)\\)\\)\\s+AS\\s+\\w+");

  /** What TO_JSON_STRING(ARRAY_AGG(STRUCT(...))) prints: integers as numbers, NULL as null. */
  private String jsonArray(List<Map<String, Object>> rows, List<String> fields) {
    ArrayNode array = NODES.arrayNode();
    for (Map<String, Object> row : rows) {
      ObjectNode o = array.addObject();
      for (String f : fields) {
        Object v = row.get(f);
        if (v == null) {
          o.putNull(f);
        } else if (v instanceof Long l) {
          o.put(f, l);
        } else {
          o.put(f, v.toString());
        }
      }
    }
    try {
      return json.writeValueAsString(array);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String alias(String item) {
    int as = item.toUpperCase(Locale.ROOT).lastIndexOf(" AS ");
    return as < 0 ? item : item.substring(as + 4).trim();
  }

  /** The dataset's tables as INFORMATION_SCHEMA sees them (lagging or not). */
  private List<ObjectNode> tablesOf(String project, String dataset) {
    String prefix = project + ":" + dataset + ".";
    TreeMap<String, ObjectNode> seen = laggedTables != null ? laggedTables : tables;
    return List.copyOf(seen.subMap(prefix, prefix + Character.MAX_VALUE).values());
  }

  private static void tableRows(
      String view, String ds, ObjectNode t, Consumer<Map<String, Object>> out) {
    String name = t.path("tableReference").path("tableId").asText();
    boolean isView = t.path("type").asText().equals("VIEW");
    switch (view) {
      case "TABLES" -> {
        Map<String, Object> row = new HashMap<>();
        row.put("table_schema", ds);
        row.put("table_name", name);
        row.put("table_type", isView ? "VIEW" : "BASE TABLE");
        row.put("partition_by", isView ? null : partitionBy(t));
        out.accept(row);
      }
      case "TABLE_OPTIONS" -> {
        if (t.hasNonNull("description")) {
          out.accept(
              option(
                  "table_schema",
                  ds,
                  name,
                  "description",
                  "STRING",
                  literal(t.get("description").asText())));
        }
        if (t.has("labels") && !t.get("labels").isEmpty()) {
          out.accept(
              option(
                  "table_schema",
                  ds,
                  name,
                  "labels",
                  "ARRAY<STRUCT<STRING, STRING>>",
                  labels(t.get("labels"))));
        }
        JsonNode tp = t.path("timePartitioning");
        if (tp.hasNonNull("expirationMs")) {
          double days = Long.parseLong(tp.get("expirationMs").asText()) / 86_400_000.0;
          out.accept(
              option(
                  "table_schema",
                  ds,
                  name,
                  "partition_expiration_days",
                  "FLOAT64",
                  Double.toString(days)));
        }
        if (t.path("requirePartitionFilter").asBoolean(false)) {
          out.accept(option("table_schema", ds, name, "require_partition_filter", "BOOL", "true"));
        }
      }
      case "COLUMNS" -> {
        if (isView) {
          return;
        }
        List<String> clustering = new ArrayList<>();
        t.path("clustering")
            .path("fields")
            .forEach(f -> clustering.add(f.asText().toLowerCase(Locale.ROOT)));
        String partitionField = t.path("timePartitioning").path("field").asText("");
        int ordinal = 0;
        for (JsonNode f : t.path("schema").path("fields")) {
          String col = f.path("name").asText();
          Map<String, Object> row = new HashMap<>();
          row.put("table_schema", ds);
          row.put("table_name", name);
          row.put("column_name", col);
          row.put("ordinal_position", (long) ++ordinal);
          row.put("is_nullable", mode(f).equals("REQUIRED") ? "NO" : "YES");
          row.put("is_system_defined", "NO");
          row.put("is_partitioning_column", col.equalsIgnoreCase(partitionField) ? "YES" : "NO");
          int c = clustering.indexOf(col.toLowerCase(Locale.ROOT));
          row.put("clustering_ordinal_position", c < 0 ? null : (long) (c + 1));
          row.put("data_type", googleSqlType(f));
          out.accept(row);
        }
      }
      case "COLUMN_FIELD_PATHS" -> {
        if (!isView) {
          fieldPaths(ds, name, null, "", t.path("schema").path("fields"), out);
        }
      }
      case "VIEWS" -> {
        if (isView) {
          Map<String, Object> row = new HashMap<>();
          row.put("table_schema", ds);
          row.put("table_name", name);
          row.put("view_definition", t.path("view").path("query").asText());
          out.accept(row);
        }
      }
      default ->
          throw new ApiError(
              400,
              "invalidQuery",
              "Table INFORMATION_SCHEMA." + view + " not supported by the stub");
    }
  }

  private static void fieldPaths(
      String ds,
      String table,
      String column,
      String parent,
      JsonNode fields,
      Consumer<Map<String, Object>> out) {
    for (JsonNode f : fields) {
      String path = parent + f.path("name").asText();
      Map<String, Object> row = new HashMap<>();
      row.put("table_schema", ds);
      row.put("table_name", table);
      row.put("column_name", column == null ? path : column);
      row.put("field_path", path);
      row.put("data_type", googleSqlType(f));
      row.put("description", f.hasNonNull("description") ? f.get("description").asText() : null);
      out.accept(row);
      if (isRecord(f)) {
        fieldPaths(ds, table, column == null ? path : column, path + ".", f.path("fields"), out);
      }
    }
  }

  private static Map<String, Object> option(
      String schemaColumn, String ds, String table, String name, String type, String value) {
    Map<String, Object> row = new HashMap<>();
    row.put(schemaColumn, ds);
    row.put("table_name", table);
    row.put("option_name", name);
    row.put("option_type", type);
    row.put("option_value", value);
    return row;
  }

  /** The GoogleSQL type as INFORMATION_SCHEMA prints it; REQUIRED sub-fields carry NOT NULL. */
  static String googleSqlType(JsonNode f) {
    String base =
        switch (canonicalType(f)) {
          case "INTEGER" -> "INT64";
          case "FLOAT" -> "FLOAT64";
          case "BOOLEAN" -> "BOOL";
          case "RECORD" -> {
            List<String> parts = new ArrayList<>();
            for (JsonNode sub : f.path("fields")) {
              parts.add(
                  sub.path("name").asText()
                      + " "
                      + googleSqlType(sub)
                      + (mode(sub).equals("REQUIRED") ? " NOT NULL" : ""));
            }
            yield "STRUCT<" + String.join(", ", parts) + ">";
          }
          default -> canonicalType(f);
        };
    return mode(f).equals("REPEATED") ? "ARRAY<" + base + ">" : base;
  }

  private static String partitionBy(ObjectNode t) {
    JsonNode tp = t.get("timePartitioning");
    if (tp == null) {
      return null;
    }
    String type = tp.path("type").asText("DAY");
    if (!tp.hasNonNull("field")) {
      return "PARTITION BY "
          + (type.equals("DAY")
              ? "_PARTITIONDATE"
              : "TIMESTAMP_TRUNC(_PARTITIONTIME, " + type + ")");
    }
    String field = tp.get("field").asText();
    String fieldType = findField(t.path("schema").path("fields"), field).path("type").asText();
    String expr =
        switch (fieldType) {
          case "DATE" -> type.equals("DAY") ? field : "DATE_TRUNC(" + field + ", " + type + ")";
          case "DATETIME" ->
              type.equals("DAY")
                  ? "DATE(" + field + ")"
                  : "DATETIME_TRUNC(" + field + ", " + type + ")";
          default ->
              type.equals("DAY")
                  ? "DATE(" + field + ")"
                  : "TIMESTAMP_TRUNC(" + field + ", " + type + ")";
        };
    return "PARTITION BY " + expr;
  }

  private static String literal(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static String labels(JsonNode labels) {
    List<String> parts = new ArrayList<>();
    labels
        .fields()
        .forEachRemaining(
            e ->
                parts.add(
                    "STRUCT(" + literal(e.getKey()) + ", " + literal(e.getValue().asText()) + ")"));
    return "[" + String.join(", ", parts) + "]";
  }

  private static List<String> selectList(String list) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    boolean quoted = false;
    for (int i = 0; i <= list.length(); i++) {
      char c = i < list.length() ? list.charAt(i) : ',';
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth--;
      } else if (!quoted && depth == 0 && c == ',') {
        out.add(list.substring(start, i).trim());
        start = i + 1;
      }
    }
    return out;
  }

  // ---- DML and SELECT over stored rows

  private ObjectNode targetTable(String path) {
    String[] parts = path.split("\\.");
    if (parts.length != 3) {
      throw new ApiError(400, "invalidQuery", "Table name \"" + path + "\" missing dataset");
    }
    ObjectNode t = tables.get(parts[0] + ":" + parts[1] + "." + parts[2]);
    if (t == null) {
      throw new ApiError(
          404, "notFound", "Not found: Table " + parts[0] + ":" + parts[1] + "." + parts[2]);
    }
    return t;
  }

  private List<Map<String, Object>> rowsOf(ObjectNode table) {
    return data.computeIfAbsent(table.path("id").asText(), k -> new ArrayList<>());
  }

  private long insert(Matcher m, Map<String, JsonNode> params) {
    ObjectNode table = targetTable(m.group(1));
    List<String> cols = columnList(m.group(2));
    List<Map<String, Object>> added = new ArrayList<>();
    Matcher tuple = Pattern.compile("\\(([^()]*)\\)").matcher(m.group(3));
    while (tuple.find()) {
      String[] values = tuple.group(1).split(", ");
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 0; i < cols.size(); i++) {
        row.put(
            canonicalColumn(table, cols.get(i)),
            value(table, cols.get(i), values[i].trim(), params));
      }
      added.add(checkRequired(table, row));
    }
    rowsOf(table).addAll(added);
    return added.size();
  }

  private long merge(Matcher m, Map<String, JsonNode> params) {
    ObjectNode table = targetTable(m.group(1));
    List<Map<String, Object>> source = new ArrayList<>();
    for (String select : m.group(2).split(" UNION ALL ")) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (String item : select.replaceFirst("^SELECT ", "").split(", ")) {
        String[] parts = item.split(" AS ");
        String col = parts[1].replace("`", "").trim();
        row.put(canonicalColumn(table, col), value(table, col, parts[0].trim(), params));
      }
      source.add(row);
    }
    StubPartitionFilter filter = partitionFilter(table, m, params);
    List<String> keys = new ArrayList<>();
    for (String cond : StubPartitionFilter.split(m.group(3)).keys().split(" AND ")) {
      Matcher k = Pattern.compile("T\\.`(\\w+)` = S\\.`(\\w+)`").matcher(cond.trim());
      if (!k.matches()) {
        throw new ApiError(400, "invalidQuery", "stub: unsupported MERGE condition " + cond);
      }
      keys.add(canonicalColumn(table, k.group(1)));
    }
    Map<String, String> set = new LinkedHashMap<>();
    if (m.group(4) != null) {
      for (String a : m.group(4).split(", ")) {
        String[] parts = a.split(" = ");
        set.put(canonicalColumn(table, parts[0].replace("`", "").trim()), parts[1].trim());
      }
    }
    List<String> insertCols = columnList(m.group(5));
    String[] insertValues = m.group(6).split(", ");
    List<Map<String, Object>> target = rowsOf(table);
    long affected = 0;
    for (Map<String, Object> s : source) {
      List<Map<String, Object>> matched =
          target.stream()
              .filter(
                  r -> keys.stream().allMatch(k -> java.util.Objects.equals(r.get(k), s.get(k))))
              .filter(r -> filter == null || filter.admits(r))
              .toList();
      if (!matched.isEmpty()) {
        for (Map<String, Object> r : matched) {
          set.forEach(
              (col, expr) ->
                  r.put(col, expr.equals("NULL") ? null : s.get(sourceColumn(table, expr))));
          checkRequired(table, r);
        }
        affected += matched.size();
      } else {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < insertCols.size(); i++) {
          String expr = insertValues[i].trim();
          row.put(
              canonicalColumn(table, insertCols.get(i)),
              expr.equals("NULL") ? null : s.get(sourceColumn(table, expr)));
        }
        target.add(checkRequired(table, row));
        affected++;
      }
    }
    return affected;
  }

  /** The MERGE's partition predicate, if its ON clause has one. */
  private static StubPartitionFilter partitionFilter(
      ObjectNode table, Matcher merge, Map<String, JsonNode> params) {
    String predicate = StubPartitionFilter.split(merge.group(3)).predicate();
    return predicate == null
        ? null
        : StubPartitionFilter.parse(
            predicate,
            (column, expr) -> value(table, column, expr, params),
            column -> canonicalColumn(table, column));
  }

  /** A SELECT's equality on the table's partitioning column, which prunes to one partition. */
  private static StubPartitionFilter selectFilter(
      ObjectNode table, String where, Map<String, JsonNode> params) {
    String field = table.path("timePartitioning").path("field").asText("");
    if (where == null || field.isEmpty()) {
      return null;
    }
    for (String cond : where.split(" AND ")) {
      Matcher eq = Pattern.compile("`(\\w+)` = (@\\w+)").matcher(cond.trim());
      if (eq.matches() && eq.group(1).equalsIgnoreCase(field)) {
        String column = canonicalColumn(table, eq.group(1));
        Object v = value(table, column, eq.group(2), params);
        return v == null ? null : StubPartitionFilter.equalTo(column, v);
      }
    }
    return null;
  }

  private String sourceColumn(ObjectNode table, String expr) {
    return canonicalColumn(table, expr.replace("S.", "").replace("`", ""));
  }

  private List<List<Object>> select(
      Matcher m, Map<String, JsonNode> params, List<ObjectNode> schema) {
    ObjectNode table = targetTable(m.group(1));
    Map<String, Object> equal = new LinkedHashMap<>();
    if (m.group(2) != null) {
      for (String cond : m.group(2).split(" AND ")) {
        Matcher eq = Pattern.compile("`(\\w+)` (= (\\S+)|IS NULL)").matcher(cond.trim());
        if (!eq.matches()) {
          throw new ApiError(400, "invalidQuery", "stub: unsupported condition " + cond);
        }
        String col = canonicalColumn(table, eq.group(1));
        equal.put(col, eq.group(3) == null ? null : value(table, eq.group(1), eq.group(3), params));
      }
    }
    int limit = Integer.parseInt(m.group(3));
    JsonNode fields = table.path("schema").path("fields");
    fields.forEach(f -> schema.add(((ObjectNode) f).deepCopy()));
    List<List<Object>> out = new ArrayList<>();
    for (Map<String, Object> row : rowsOf(table)) {
      if (out.size() >= limit) {
        break;
      }
      boolean match =
          equal.entrySet().stream()
              .allMatch(e -> java.util.Objects.equals(row.get(e.getKey()), e.getValue()));
      if (match) {
        List<Object> cells = new ArrayList<>();
        fields.forEach(f -> cells.add(row.get(f.path("name").asText())));
        out.add(cells);
      }
    }
    return out;
  }

  private static List<String> columnList(String list) {
    List<String> out = new ArrayList<>();
    for (String c : list.split(",")) {
      out.add(c.replace("`", "").trim());
    }
    return out;
  }

  private static String canonicalColumn(ObjectNode table, String column) {
    JsonNode f = findField(table.path("schema").path("fields"), column);
    if (f == null) {
      throw new ApiError(
          400,
          "invalidQuery",
          "Column " + column + " is not present in table " + table.path("id").asText());
    }
    return f.path("name").asText();
  }

  private static Map<String, Object> checkRequired(ObjectNode table, Map<String, Object> row) {
    for (JsonNode f : table.path("schema").path("fields")) {
      if (mode(f).equals("REQUIRED") && row.get(f.path("name").asText()) == null) {
        throw new ApiError(
            400, "invalidQuery", "Required field " + f.path("name").asText() + " cannot be null");
      }
    }
    return row;
  }

  /** A parameter or NULL, typed for the column it is assigned to or compared with. */
  private static Object value(
      ObjectNode table, String column, String expr, Map<String, JsonNode> params) {
    if (expr.equals("NULL")) {
      return null;
    }
    if (!expr.startsWith("@")) {
      throw new ApiError(400, "invalidQuery", "stub: only parameters and NULL: " + expr);
    }
    JsonNode p = params.get(expr.substring(1));
    if (p == null) {
      throw new ApiError(
          400, "invalidQuery", "Query parameter '" + expr.substring(1) + "' not found");
    }
    String ptype = p.path("parameterType").path("type").asText();
    JsonNode raw = p.path("parameterValue").path("value");
    if (raw.isMissingNode() || raw.isNull()) {
      return null;
    }
    String v = raw.asText();
    JsonNode field = findField(table.path("schema").path("fields"), column);
    String ctype = canonicalType(field);
    boolean ok =
        switch (ctype) {
          case "STRING" -> ptype.equals("STRING");
          case "INTEGER" -> ptype.equals("INT64");
          case "FLOAT" -> ptype.equals("INT64") || ptype.equals("FLOAT64");
          case "NUMERIC", "BIGNUMERIC" ->
              ptype.equals("INT64") || ptype.equals("NUMERIC") || ptype.equals("BIGNUMERIC");
          case "BOOLEAN" -> ptype.equals("BOOL");
          case "JSON" -> ptype.equals("JSON");
          case "GEOGRAPHY" -> ptype.equals("GEOGRAPHY") || ptype.equals("STRING");
          default -> ptype.equals(ctype);
        };
    if (!ok) {
      throw new ApiError(
          400,
          "invalidQuery",
          "Value of type "
              + ptype
              + " cannot be assigned to "
              + column
              + ", which has type "
              + ctype);
    }
    return switch (ctype) {
      case "INTEGER" -> Long.parseLong(v);
      case "FLOAT" -> Double.parseDouble(v);
      case "NUMERIC", "BIGNUMERIC" -> new BigDecimal(v);
      case "BOOLEAN" -> Boolean.parseBoolean(v);
      case "TIMESTAMP" -> timestampMicros(v);
      case "DATETIME" -> LocalDateTime.parse(v.replace(' ', 'T')).toString();
      default -> v;
    };
  }

  static long timestampMicros(String v) {
    String s = v.trim().replace(' ', 'T').replace("UTC", "Z");
    if (s.endsWith("Z") || s.matches(".*[+-]\\d{2}:?\\d{2}$")) {
      s = s.replaceAll("([+-]\\d{2})(\\d{2})$", "$1:$2");
      return ChronoUnit.MICROS.between(
          java.time.Instant.EPOCH, OffsetDateTime.parse(s).toInstant());
    }
    return ChronoUnit.MICROS.between(
        java.time.Instant.EPOCH, LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
  }
}
