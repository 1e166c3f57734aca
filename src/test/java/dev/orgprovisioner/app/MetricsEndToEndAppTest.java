package dev.orgprovisioner.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.EmulatorsResource;
import dev.orgprovisioner.testing.PubSubTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** One onboarding through Pub/Sub moves the Prometheus counters by exactly what happened. */
@QuarkusTest
@Tag("app")
@QuarkusTestResource(EmulatorsResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEndToEndAppTest {

  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][\\w:]*)(\\{[^}]*\\})? (\\S+)");

  @ConfigProperty(name = "messaging.commands-topic")
  String commandsTopic;

  @ConfigProperty(name = "messaging.events-topic")
  String eventsTopic;

  private PubSubTestClient pubsub;
  private PubSubTestClient.Reader events;

  @BeforeAll
  void connect() {
    pubsub = PubSubTestClient.forSharedEmulator();
    events = pubsub.subscribe(eventsTopic);
  }

  @AfterAll
  void disconnect() throws Exception {
    pubsub.close();
  }

  /** Every sample of the scrape, keyed by name plus its labels as written. */
  private static Map<String, Double> scrape() {
    Map<String, Double> samples = new HashMap<>();
    for (String line :
        given().get("/q/metrics").then().statusCode(200).extract().asString().split("\n")) {
      Matcher m = LINE.matcher(line);
      if (!line.startsWith("#") && m.find()) {
        samples.put(m.group(1) + normalise(m.group(2)), Double.parseDouble(m.group(3)));
      }
    }
    return samples;
  }

  private static String normalise(String labels) {
    return labels == null ? "" : labels.replace(",}", "}");
  }

  private static double value(Map<String, Double> samples, String key) {
    return samples.getOrDefault(key, 0.0);
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
    return value(after, key) - value(before, key);
  }

  @Test
  void oneOnboardingViaPubSub_countsOneMessageReceivedAndAckedAndOneSucceededJob() {
    String org = "metrics_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String id = "metrics-" + UUID.randomUUID();
    Map<String, Double> before = scrape();

    pubsub.publish(
        commandsTopic,
        MalformedCommands.onboardAttributes(id),
        MalformedCommands.json(MalformedCommands.onboardData(org)),
        org);
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                events.where("correlation-id", id).stream()
                    .anyMatch(e -> "org.onboarded".equals(e.attributes().get("ce-type"))));

    String onboard = "type=\"org.onboard.requested\"";
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              Map<String, Double> after = scrape();
              assertThat(delta(before, after, "provisioner_messages_total{outcome=\"received\"}"))
                  .isEqualTo(1.0);
              assertThat(delta(before, after, "provisioner_messages_total{outcome=\"acked\"}"))
                  .isEqualTo(1.0);
              assertThat(delta(before, after, "provisioner_messages_total{outcome=\"nacked\"}"))
                  .isZero();
              assertThat(delta(before, after, "provisioner_messages_total{outcome=\"rejected\"}"))
                  .isZero();
              assertThat(
                      delta(
                          before,
                          after,
                          "provisioner_jobs_total{state=\"SUCCEEDED\"," + onboard + "}"))
                  .isEqualTo(1.0);
              assertThat(
                      delta(
                          before,
                          after,
                          "provisioner_jobs_total{state=\"RUNNING\"," + onboard + "}"))
                  .isEqualTo(1.0);
              assertThat(
                      delta(
                          before,
                          after,
                          "provisioner_job_duration_seconds_count{outcome=\"SUCCEEDED\","
                              + onboard
                              + "}"))
                  .isEqualTo(1.0);
              // An onboarding creates the dataset, 19 tables and 4 views (on the embedded
              // warehouse one plan, one transaction) and writes its rows of every central table.
              assertThat(
                      delta(
                          before,
                          after,
                          "provisioner_warehouse_calls_total{operation=\"apply_plan\"}"))
                  .isGreaterThanOrEqualTo(1.0);
              assertThat(
                      delta(
                          before,
                          after,
                          "provisioner_warehouse_calls_total{operation=\"upsert_tables\"}"))
                  .isGreaterThanOrEqualTo(1.0);
              assertThat(after).containsKey("provisioner_worker_load");
            });
    // The queue gauges are refreshed every 5 s in tests; -1 means never counted.
    await().atMost(DEADLINE).until(() -> value(scrape(), "provisioner_queue_depth") >= 0);
    // The job's audit rows went through the spool; the drainer counts what is left after a drain.
    await().atMost(DEADLINE).until(() -> value(scrape(), "provisioner_audit_backlog_rows") == 0);
    // The catalog version this instance runs, per scope.
    assertThat(scrape())
        .containsEntry(
            "provisioner_catalog_version_info{scope=\"org\",version=\""
                + CatalogFixtures.project().org().version()
                + "\"}",
            1.0);
  }
}
