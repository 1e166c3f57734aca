package dev.orgprovisioner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** {@code ops rollout status} and {@code start --dry-run} against a stand-in for the admin API. */
class RolloutCommandTest {

  private static final String DETAIL =
      """
      {"rollout_id":"add-credits","target_catalog_version":"3","status":"RUNNING","wave":1,
       "wave_count":3,"reasons":[],"bake_until":null,
       "waves":[
        {"wave":0,"canary":["acme"],"state":"DONE","orgs":2,"queued":2,"done":2,"succeeded":2,
         "failed":0,"running":0,"failed_orgs":[]},
        {"wave":1,"share":0.5,"state":"RUNNING","orgs":10,"queued":6,"done":4,"succeeded":3,
         "failed":1,"running":2,"failed_orgs":["globex"]},
        {"wave":2,"share":1.0,"state":"PENDING","orgs":0,"queued":0,"done":0,"succeeded":0,
         "failed":0,"running":0,"failed_orgs":[]}]}""";

  private static final Map<String, String> ANSWERS =
      Map.of(
          "/api/v1/rollouts/add-credits",
          DETAIL,
          "/api/v1/rollouts",
          """
          [{"rollout_id":"add-credits","target_catalog_version":"3","status":"RUNNING","wave":1,
            "wave_count":3,"updated_at":"2026-12-03T03:00:00Z"},
           {"rollout_id":"add-views","target_catalog_version":"2","status":"COMPLETED","wave":1,
            "wave_count":2,"updated_at":"2026-12-01T03:00:00Z"}]""",
          "/api/v1/rollouts?dry_run=true",
          """
          {"dry_run":true,"rollout_id":"add-credits","target_catalog_version":"3","fleet":12,
           "max_concurrent_orgs":4,"waves":[
            {"wave":0,"canary":["acme"],"not_in_fleet":[],"org_count":1,"orgs":["acme"],
             "orgs_with_changes":1,"steps":{"add_columns":1},"non_additive_orgs":[],
             "minimum_seconds":0,"bound_by":""},
            {"wave":1,"share":1.0,"org_count":11,"orgs":[],"orgs_with_changes":11,
             "steps":{"add_columns":11},"non_additive_orgs":["globex"],"minimum_seconds":130,
             "bound_by":"tables.get at 100 per second"}],
           "bigquery_calls":{"tables.patch":12},"minimum_seconds":3730,
           "minimum_formula":"wave floor = max(...)"}""");

  private HttpServer api;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext(
        "/",
        ex -> {
          String target = ex.getRequestURI().toString();
          String path = target.startsWith("/api/v1/rollouts?limit") ? "/api/v1/rollouts" : target;
          requests.add(ex.getRequestMethod() + " " + target);
          bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          String body = ANSWERS.get(path);
          byte[] bytes =
              (body == null ? "{\"code\":\"ROLLOUT_NOT_FOUND\"}" : body)
                  .getBytes(StandardCharsets.UTF_8);
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
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--api-url", "http://127.0.0.1:" + api.getAddress().getPort()));
    int exit = cli.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void status_printsAProgressBarPerWave_withDoneFailedAndRunning() {
    Run run = ops("rollout", "status", "add-credits");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("roll-out add-credits to catalog version 3: RUNNING, wave 2 of 3")
        .containsPattern("wave 1 \\[#{30}\\] +2/2 +done, 0 failed, 0 running  DONE \\(canary\\)")
        .containsPattern("wave 2 \\[#{9}x{3}>{6}\\.{12}\\] +4/10 +done, 1 failed, 2 running")
        .contains("failed: [\"globex\"]")
        .containsPattern("wave 3 \\[\\s{30}\\]");
  }

  @Test
  void statusWithoutAnId_showsTheNewest_andListsTheOthers() {
    Run run = ops("rollout", "status");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("roll-out add-credits")
        .contains("earlier roll-outs:")
        .containsPattern("add-views +COMPLETED");
    assertThat(requests)
        .containsExactly("GET /api/v1/rollouts?limit=10", "GET /api/v1/rollouts/add-credits");
  }

  @Test
  void statusJson_printsTheApisAnswer() throws IOException {
    Run run = ops("rollout", "status", "add-credits", "--json");

    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("waves").get(1).path("running").asInt()).isEqualTo(2);
  }

  @Test
  void anUnknownRollout_failsWithTheApisAnswer() {
    Run run = ops("rollout", "status", "nope");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("the API answered 404").contains("ROLLOUT_NOT_FOUND");
  }

  @Test
  void startDryRun_postsTheCommandsData_toTheWorker_andPrintsWavesCallsAndTime()
      throws IOException {
    Run run =
        ops(
            "rollout",
            "start",
            "--id",
            "add-credits",
            "--target-version",
            "3",
            "--canary",
            "acme",
            "--waves",
            "1",
            "--bake",
            "1h",
            "--concurrency",
            "4",
            "--max-failure-rate",
            "0.02",
            "--dry-run");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(requests).containsExactly("POST /api/v1/rollouts?dry_run=true");
    JsonNode sent = new ObjectMapper().readTree(bodies.get(0));
    assertThat(sent.path("waves").toString()).isEqualTo("[{\"orgs\":[\"acme\"]},{\"share\":1.0}]");
    assertThat(sent.path("bake_seconds").asLong()).isEqualTo(3600);
    assertThat(sent.path("max_concurrent_orgs").asInt()).isEqualTo(4);
    assertThat(sent.path("max_failure_rate").asDouble()).isEqualTo(0.02);
    assertThat(run.out())
        .contains("wave 1 (share 1.0): 11 orgs, 11 with changes")
        .contains("at least 2m 10s (tables.get at 100 per second)")
        .contains("non-additive drift (would halt here): [\"globex\"]")
        .contains("at least 1h 2m in all");
  }

  @Test
  void aStartTheIntakeWouldRefuse_isAUsageError_beforeAnythingIsSent() {
    Run shares =
        ops("rollout", "start", "--id", "add-credits", "--target-version", "3", "--waves", "0.5");
    Run bake =
        ops("rollout", "start", "--id", "add-credits", "--target-version", "3", "--bake", "soon");

    assertThat(shares.exit()).isEqualTo(2);
    assertThat(shares.err()).contains("data.waves[0].share");
    assertThat(bake.exit()).isEqualTo(2);
    assertThat(bake.err()).contains("'soon' is not a duration");
    assertThat(requests).isEmpty();
  }
}
