package dev.orgprovisioner.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.CacheRequest;
import java.net.CacheResponse;
import java.net.HttpURLConnection;
import java.net.ResponseCache;
import java.net.URI;
import java.net.URLConnection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * Counts the BigQuery API calls, query jobs and bytes billed of one step at a time. The adapter
 * builds its own client, so there is no transport to wrap; instead this is the JVM's {@link
 * ResponseCache}, which {@code HttpURLConnection} (under the client's {@code NetHttpTransport})
 * asks about every request and offers every successful response body. It never answers from a
 * cache, so the client's traffic is unchanged.
 */
final class CallMeter extends ResponseCache implements AutoCloseable {

  /**
   * What one step sent: API calls by method name, distinct query jobs, and the bytes billed that
   * BigQuery reported for them ({@code jobsWithoutBytes}: jobs no response reported bytes for).
   */
  record StepCalls(Map<String, Integer> byKind, int jobs, long bytesBilled, int jobsWithoutBytes) {

    static final StepCalls NONE = new StepCalls(Map.of(), 0, 0, 0);

    int calls() {
      return byKind.values().stream().mapToInt(Integer::intValue).sum();
    }

    StepCalls plus(StepCalls other) {
      Map<String, Integer> kinds = new TreeMap<>(byKind);
      other.byKind.forEach((k, v) -> kinds.merge(k, v, Integer::sum));
      return new StepCalls(
          kinds,
          jobs + other.jobs,
          bytesBilled + other.bytesBilled,
          jobsWithoutBytes + other.jobsWithoutBytes);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Bytes billed of a job no response has reported yet. */
  private static final long UNREPORTED = -1;

  private final ResponseCache previous;
  private volatile Tally current;

  private CallMeter(ResponseCache previous) {
    this.previous = previous;
  }

  /** Becomes the JVM's response cache until closed. */
  static CallMeter install() {
    CallMeter meter = new CallMeter(ResponseCache.getDefault());
    ResponseCache.setDefault(meter);
    return meter;
  }

  /** Starts counting a step (calls outside a step are not counted). */
  void start() {
    current = new Tally();
  }

  /** Ends the step and returns what it sent. */
  StepCalls stop() {
    Tally tally = current;
    current = null;
    return tally == null ? StepCalls.NONE : tally.result();
  }

  @Override
  public CacheResponse get(URI uri, String method, Map<String, List<String>> headers) {
    Tally tally = current;
    if (tally != null && ApiCallKind.isBigQuery(uri.getPath())) {
      tally.call(ApiCallKind.of(effectiveMethod(method, headers), uri.getPath()));
    }
    return null;
  }

  @Override
  public CacheRequest put(URI uri, URLConnection connection) {
    Tally tally = current;
    String method = connection instanceof HttpURLConnection http ? http.getRequestMethod() : "GET";
    // Only job resources and query responses report bytes billed.
    if (tally == null
        || !ApiCallKind.isBigQuery(uri.getPath())
        || !ApiCallKind.of(method, uri.getPath()).startsWith("jobs.")) {
      return null;
    }
    String encoding = connection.getHeaderField("Content-Encoding");
    boolean gzip = encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip");
    return new BodyCapture(gzip, tally);
  }

  private static String effectiveMethod(String method, Map<String, List<String>> headers) {
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if (h.getKey() != null
          && h.getKey().equalsIgnoreCase("X-HTTP-Method-Override")
          && !h.getValue().isEmpty()) {
        return h.getValue().get(0);
      }
    }
    return method;
  }

  @Override
  public void close() {
    ResponseCache.setDefault(previous);
  }

  /** The counts of one step; filled from the client's threads. */
  private static final class Tally {
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, Long> jobBytes = new ConcurrentHashMap<>();

    void call(String kind) {
      calls.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    /** A job resource or query response: its job and, if reported, its bytes billed. */
    void jobResponse(JsonNode body) {
      String jobId = body.path("jobReference").path("jobId").asText("");
      if (jobId.isEmpty()) {
        return;
      }
      JsonNode billed = body.get("totalBytesBilled");
      if (billed == null) {
        billed = body.path("statistics").path("query").get("totalBytesBilled");
      }
      long bytes = billed == null ? UNREPORTED : billed.asLong(UNREPORTED);
      jobBytes.merge(jobId, bytes, Math::max);
    }

    StepCalls result() {
      Map<String, Integer> kinds = new TreeMap<>();
      calls.forEach((k, v) -> kinds.put(k, v.get()));
      long bytes = jobBytes.values().stream().filter(b -> b > 0).mapToLong(Long::longValue).sum();
      int unreported = (int) jobBytes.values().stream().filter(b -> b == UNREPORTED).count();
      return new StepCalls(kinds, jobBytes.size(), bytes, unreported);
    }
  }

  /** Receives a job response's body as the client reads it, and reads it once it is complete. */
  private static final class BodyCapture extends CacheRequest {
    private final boolean gzip;
    private final Tally tally;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private volatile boolean aborted;

    BodyCapture(boolean gzip, Tally tally) {
      this.gzip = gzip;
      this.tally = tally;
    }

    @Override
    public OutputStream getBody() {
      return new OutputStream() {
        @Override
        public void write(int b) {
          buffer.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          buffer.write(b, off, len);
        }

        @Override
        public void close() {
          if (!aborted) {
            read();
          }
        }
      };
    }

    @Override
    public void abort() {
      aborted = true;
    }

    private void read() {
      try (InputStream raw = new ByteArrayInputStream(buffer.toByteArray());
          InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
        tally.jobResponse(JSON.readTree(in));
      } catch (IOException | RuntimeException e) {
        // A body that does not parse only loses its byte count; the client reads its own copy.
      }
    }
  }
}
