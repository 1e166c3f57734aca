package dev.orgprovisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.command.TraceContext;
import dev.orgprovisioner.notify.WebhookSigner;
import dev.orgprovisioner.notify.warehouse.WarehouseNotificationHistory;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.testing.EmulatorsResource;
import dev.orgprovisioner.testing.HttpReceiver;
import dev.orgprovisioner.testing.NotifyReceiversResource;
import dev.orgprovisioner.testing.PubSubTestClient;
import dev.orgprovisioner.warehouse.Warehouse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole worker with notifications on: real SMTP (GreenMail), real HTTP receivers for the
 * operations Slack and webhook, events flowing from provisioning through the notifier's own
 * subscription, history read back from DuckDB.
 */
@QuarkusTest
@Tag("app")
@QuarkusTestResource(EmulatorsResource.class)
@QuarkusTestResource(value = NotifyReceiversResource.class, restrictToAnnotatedClass = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationsEndToEndAppTest {

  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject Warehouse warehouse;
  @Inject ProvisioningService provisioning;

  @ConfigProperty(name = "messaging.commands-topic")
  String commandsTopic;

  @ConfigProperty(name = "messaging.events-topic")
  String eventsTopic;

  private PubSubTestClient pubsub;

  @BeforeAll
  void connect() {
    pubsub = PubSubTestClient.forSharedEmulator();
    provisioning.bootstrap(false);
  }

  @AfterAll
  void disconnect() throws Exception {
    pubsub.close();
  }

  private static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  private List<Map<String, Object>> history(String org) {
    return warehouse.selectRows(
        "organizations", WarehouseNotificationHistory.TABLE, Map.of("org_slug", org), 100);
  }

  private static List<HttpReceiver.Request> postsAbout(String path, String org) {
    return NotifyReceiversResource.http().requests(path).stream()
        .filter(r -> r.text().contains(org))
        .toList();
  }

  @Test
  void onboardedOrg_adminGetsTheWelcomeMailOverSmtp_andOpsGetSlackAndSignedWebhook() {
    String org = unique("welcome");
    String admin = "admin." + org.substring(8) + "@acme.example";
    Map<String, Object> data = MalformedCommands.onboardData(org);
    data.put("admin_email", admin);
    pubsub.publish(
        commandsTopic,
        MalformedCommands.onboardAttributes(unique("cmd")),
        MalformedCommands.json(data),
        org);

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(mailsTo(admin))
                    .singleElement()
                    .satisfies(
                        mail -> {
                          assertThat(mail.getSubject())
                              .isEqualTo("Your workspace " + org + " is ready");
                          assertThat(mail.getFrom()[0].toString())
                              .isEqualTo("provisioner@test.example");
                        }));
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              assertThat(postsAbout(NotifyReceiversResource.OPS_SLACK, org)).hasSize(1);
              assertThat(postsAbout(NotifyReceiversResource.OPS_HOOK, org)).hasSize(1);
            });
    HttpReceiver.Request hook = postsAbout(NotifyReceiversResource.OPS_HOOK, org).get(0);
    assertThat(
            WebhookSigner.verify(
                NotifyReceiversResource.OPS_SECRET,
                hook.header(WebhookSigner.TIMESTAMP_HEADER),
                hook.body(),
                hook.header(WebhookSigner.SIGNATURE_HEADER),
                Instant.now(),
                Duration.ofMinutes(5)))
        .isTrue();
    assertThat(hook.header("X-Event-Type")).isEqualTo("org.onboarded");
    assertThat(TraceContext.from(Map.of("traceparent", hook.header("traceparent"))))
        .as("the webhook continues the trace of the job that emitted the event")
        .isPresent();
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(history(org))
                    .filteredOn(r -> "SENT".equals(r.get("status")))
                    .extracting(r -> r.get("channel_id"))
                    .containsExactlyInAnyOrder("org-admin-email", "ops-slack", "ops-webhook"));
    String metrics = io.restassured.RestAssured.get("/q/metrics").then().extract().asString();
    assertThat(metrics)
        .containsPattern(
            "provisioner_notifications_total\\{channel=\"email\",status=\"sent\",?\\} [1-9]")
        .containsPattern(
            "provisioner_notifications_total\\{channel=\"webhook\",status=\"sent\",?\\} [1-9]");
  }

  @Test
  void failureEventTwiceWithinTheCooldown_opsHearsOnce_andTheSecondIsSkipped() throws Exception {
    String org = unique("flap");
    for (int i = 0; i < 2; i++) {
      String json =
          "{\"org_slug\":\""
              + org
              + "\",\"error_kind\":\"transient\",\"error_code\":\"WAREHOUSE_TRANSIENT\","
              + "\"error\":\"backend unavailable\",\"attempts\":6}";
      pubsub.publish(
          eventsTopic,
          Map.of(
              "ce-specversion",
              "1.0",
              "ce-id",
              unique("ev"),
              "ce-type",
              "org.sync.failed",
              "ce-source",
              "//org-provisioner/test",
              "ce-subject",
              org,
              "ce-time",
              Instant.now().toString()),
          json.getBytes(StandardCharsets.UTF_8),
          org);
    }

    // The two events are handled concurrently: whichever takes the cooldown first is sent.
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              assertThat(history(org))
                  .filteredOn(r -> "SKIPPED".equals(r.get("status")))
                  .extracting(r -> r.get("channel_id"))
                  .containsExactlyInAnyOrder("ops-slack", "ops-webhook");
              assertThat(history(org))
                  .filteredOn(r -> "SENT".equals(r.get("status")))
                  .extracting(r -> r.get("channel_id"))
                  .containsExactlyInAnyOrder("ops-slack", "ops-webhook");
            });
    assertThat(postsAbout(NotifyReceiversResource.OPS_HOOK, org)).hasSize(1);
    JsonNode body = JSON.readTree(postsAbout(NotifyReceiversResource.OPS_HOOK, org).get(0).body());
    assertThat(body.get("data").get("error_code").asText()).isEqualTo("WAREHOUSE_TRANSIENT");
    assertThat(postsAbout(NotifyReceiversResource.OPS_SLACK, org))
        .singleElement()
        .satisfies(p -> assertThat(p.text()).contains("[FAILED] org.sync.failed for " + org));
  }

  private static List<MimeMessage> mailsTo(String address) {
    return Arrays.stream(NotifyReceiversResource.smtp().getReceivedMessages())
        .filter(
            m -> {
              try {
                return Arrays.stream(m.getRecipients(RecipientType.TO))
                    .anyMatch(a -> a.toString().equals(address));
              } catch (jakarta.mail.MessagingException e) {
                return false;
              }
            })
        .toList();
  }
}
