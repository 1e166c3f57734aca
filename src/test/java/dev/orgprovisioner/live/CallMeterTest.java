package dev.orgprovisioner.live;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.orgprovisioner.live.CallMeter.StepCalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The meter against a server answering as BigQuery does (gzip bodies, bytes billed reported), which
 * the stub does not: every call is named and counted, and each job's bytes billed count once.
 */
class CallMeterTest {

  private static final String PROJECT = "/bigquery/v2/projects/p";

  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // jobs.query: the job done at once, 10 MiB billed (the minimum of a query).
    answer(
        PROJECT + "/queries",
        "{\"jobReference\":{\"jobId\":\"j1\"},\"jobComplete\":true,\"totalBytesBilled\":\"10485760\"}");
    // jobs.get of the same job, and of a second one still running: no bytes yet.
    answer(
        PROJECT + "/jobs/j1",
        "{\"jobReference\":{\"jobId\":\"j1\"},\"statistics\":{\"query\":{\"totalBytesBilled\":\"10485760\"}}}");
    answer(PROJECT + "/jobs/j2", "{\"jobReference\":{\"jobId\":\"j2\"},\"statistics\":{}}");
    answer(PROJECT + "/datasets", "{\"datasetReference\":{\"datasetId\":\"d\"}}");
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(String path, String json) {
    server.createContext(
        path,
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try (OutputStream gzip = new GZIPOutputStream(body)) {
              gzip.write(json.getBytes(UTF_8));
            }
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, body.size());
            exchange.getResponseBody().write(body.toByteArray());
          }
        });
  }

  private void call(String method, String path) throws IOException {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    c.setRequestProperty("Accept-Encoding", "gzip");
    if (method.equals("PATCH")) {
      // As google-http-client sends it over HttpURLConnection, which has no PATCH.
      c.setRequestMethod("POST");
      c.setRequestProperty("X-HTTP-Method-Override", "PATCH");
    } else {
      c.setRequestMethod(method);
    }
    if (!method.equals("GET")) {
      c.setDoOutput(true);
      c.getOutputStream().write("{}".getBytes(UTF_8));
    }
    try (InputStream in = c.getInputStream()) {
      in.readAllBytes();
    }
  }

  @Test
  void countsEachCallByMethodAndEachJobsBytesBilledOnce() throws IOException {
    StepCalls calls;
    try (CallMeter meter = CallMeter.install()) {
      call("POST", PROJECT + "/queries");
      meter.start();
      call("POST", PROJECT + "/queries");
      call("GET", PROJECT + "/jobs/j1");
      call("GET", PROJECT + "/jobs/j2");
      call("POST", PROJECT + "/datasets");
      call("PATCH", PROJECT + "/datasets/d");
      calls = meter.stop();
      call("POST", PROJECT + "/queries");
    }

    // Calls before start and after stop are not counted.
    assertThat(calls.byKind())
        .isEqualTo(
            Map.of(
                "jobs.query", 1,
                "jobs.get", 2,
                "datasets.insert", 1,
                "datasets.patch", 1));
    assertThat(calls.calls()).isEqualTo(5);
    assertThat(calls.jobs()).isEqualTo(2);
    assertThat(calls.bytesBilled()).isEqualTo(10_485_760L);
    assertThat(calls.jobsWithoutBytes()).isEqualTo(1);
  }

  @Test
  void namesRequestsAsTheApiReferenceDoes() {
    assertThat(ApiCallKind.of("GET", PROJECT + "/queries/job_1")).isEqualTo("jobs.getQueryResults");
    assertThat(ApiCallKind.of("PATCH", PROJECT + "/datasets/d/tables/t")).isEqualTo("tables.patch");
    assertThat(ApiCallKind.of("DELETE", PROJECT + "/datasets/d")).isEqualTo("datasets.delete");
    assertThat(ApiCallKind.of("POST", PROJECT + "/datasets/d/tables/t/insertAll"))
        .isEqualTo("tabledata.insertAll");
    assertThat(ApiCallKind.isBigQuery("/token")).isFalse();
  }
}
