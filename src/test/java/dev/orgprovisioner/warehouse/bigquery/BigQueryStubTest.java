package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stub's own transport behaviour: gzip bodies, method override, error documents. */
class BigQueryStubTest {

  private final BigQueryStub stub = BigQueryStub.start();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void stop() {
    stub.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] gzip(String s) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  @Test
  void gzipBodies_andMethodOverride_areUnderstood() throws Exception {
    String base = stub.host() + "/bigquery/v2/projects/p/datasets";
    HttpResponse<String> created =
        send(
            HttpRequest.newBuilder(URI.create(base))
                .header("Content-Encoding", "gzip")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        gzip(
                            "{\"datasetReference\":{\"datasetId\":\"d1\"},\"location\":\"EU\"}"))));
    HttpResponse<String> patched =
        send(
            HttpRequest.newBuilder(URI.create(base + "/d1"))
                .header("X-HTTP-Method-Override", "PATCH")
                .POST(HttpRequest.BodyPublishers.ofString("{\"labels\":{\"a\":\"b\"}}")));

    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(patched.statusCode()).isEqualTo(200);
    assertThat(json.readTree(patched.body()).path("labels").path("a").asText()).isEqualTo("b");
    assertThat(stub.requests())
        .extracting(r -> r.method() + " " + r.gzipped())
        .containsExactly("POST true", "PATCH false");
    assertThat(stub.requests().get(0).body().path("location").asText()).isEqualTo("EU");
  }

  @Test
  void errors_useBigQuerysErrorDocument() throws Exception {
    String base = stub.host() + "/bigquery/v2/projects/p/datasets/missing";

    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base)).GET());

    assertThat(r.statusCode()).isEqualTo(404);
    var error = json.readTree(r.body()).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(404);
    assertThat(error.path("errors").get(0).path("reason").asText()).isEqualTo("notFound");
    assertThat(error.path("message").asText()).isEqualTo("Not found: Dataset p:missing");
  }
}
