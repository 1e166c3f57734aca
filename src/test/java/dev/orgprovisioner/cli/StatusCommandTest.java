package dev.orgprovisioner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ops status} against a local stand-in for the worker's admin API. */
class StatusCommandTest {

  private static final Map<String, String> ANSWERS =
      Map.of(
          "/api/v1/orgs/acme/status",
          """
          {"target":"acme","dataset":"acme_local","status":"SYNCED","dataset_exists":true,
           "catalog_version":"3","worker_catalog_version":"2"}""",
          "/api/v1/drift/latest",
          """
          {"check_id":"c-1","counts":{"SYNCED":4,"OUT_OF_SYNC":1},"orgs_checked":5,
           "catalog_version":"2","catalog_versions":{"1":1,"2":3,"3":1},
           "finished_at":"2026-12-03T02:00:00Z"}""");

  private HttpServer api;
  private final List<String> keys = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext(
        "/",
        ex -> {
          keys.add(String.valueOf(ex.getRequestHeaders().getFirst("X-Admin-Key")));
          String body = ANSWERS.get(ex.getRequestURI().getPath());
          byte[] bytes =
              (body == null ? "{\"code\":\"NOT_FOUND\"}" : body).getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
          ex.getResponseBody().write(bytes);
          ex.close();
        });
    api.start();
  }

  @AfterEach
  void stop() {
    api.stop(0);
  }

  private record Run(int exit, String out, String err) {}

  private Run ops(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = OpsCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    String url = "http://127.0.0.1:" + api.getAddress().getPort();
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--api-url";
    all[args.length + 1] = url;
    all[args.length + 2] = "--admin-key";
    all[args.length + 3] = "k-1";
    int exit = cli.execute(all);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void anOrg_showsItsDatasetsCatalogVersionBesideTheWorkers() {
    Run run = ops("status", "acme");

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("status:          SYNCED")
        .contains("catalog version: 3 (worker runs 2); synced by a newer version");
    assertThat(keys).containsExactly("k-1");
  }

  @Test
  void noOrg_showsOrgsPerStatusAndPerCatalogVersion_fromTheLastDriftCheck() {
    Run run = ops("status");

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("orgs per catalog version:")
        .containsPattern("(?m)^  1 +1$")
        .containsPattern("(?m)^  2 +3$")
        .containsPattern("(?m)^  3 +1$")
        .containsPattern("(?m)^  OUT_OF_SYNC +1$");
  }

  @Test
  void json_printsTheApisAnswer() {
    Run run = ops("status", "acme", "--json");

    assertThat(run.out()).contains("\"worker_catalog_version\" : \"2\"");
  }

  @Test
  void anUnknownOrg_failsWithTheApisAnswer() {
    Run run = ops("status", "nobody");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("the API answered 404");
  }

  @Test
  void anInvalidSlug_isAUsageError() {
    Run run = ops("status", "Not A Slug");

    assertThat(run.exit()).isEqualTo(2);
  }
}
