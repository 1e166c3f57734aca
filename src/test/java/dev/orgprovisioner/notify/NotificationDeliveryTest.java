package dev.orgprovisioner.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.ledger.FirestoreNotificationState;
import dev.orgprovisioner.notify.http.SlackSender;
import dev.orgprovisioner.notify.http.WebhookSender;
import dev.orgprovisioner.notify.warehouse.WarehouseNotificationDirectory;
import dev.orgprovisioner.notify.warehouse.WarehouseNotificationHistory;
import dev.orgprovisioner.provisioning.Environment;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.ProvisioningSettings;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.HttpReceiver;
import dev.orgprovisioner.testing.SharedEmulators;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The notifier with its real adapters: Slack and webhook posts to a local HTTP server, state in the
 * Firestore emulator, rules, channels and history in DuckDB's central dataset.
 */
class NotificationDeliveryTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CENTRAL = "organizations";
  private static final String SECRET = "whsec-test-4711";
  private static Firestore db;

  private static DuckDbWarehouse duck;
  private HttpReceiver receiver;
  private WarehouseNotificationHistory history;
  private final List<Duration> sleeps = new ArrayList<>();
  private final Map<String, String> secrets = new HashMap<>();
  private Notifier notifier;

  @BeforeAll
  static void connect() {
    db = SharedEmulators.firestoreClient();
    // One central dataset for the class; every test uses orgs of its own.
    duck = new DuckDbWarehouse(":memory:");
    new ProvisioningService(
            CatalogFixtures.project(), duck, new ProvisioningSettings(Environment.LOCAL, "EU"))
        .bootstrap(false);
  }

  @AfterAll
  static void disconnect() throws Exception {
    db.close();
    duck.close();
  }

  @BeforeEach
  void wire() {
    receiver = new HttpReceiver();
    secrets.put("OPS_SLACK", receiver.url("/slack"));
    history = new WarehouseNotificationHistory(duck, CENTRAL, 1000, Duration.ofMinutes(10));
    Clock clock = Clock.systemUTC();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    notifier =
        new Notifier(
            new WarehouseNotificationDirectory(duck, CENTRAL),
            history,
            new FirestoreNotificationState(
                db,
                "n" + UUID.randomUUID().toString().substring(0, 8) + "_",
                Duration.ofDays(7),
                Duration.ofSeconds(60)),
            new ReferenceSecretResolver(name -> Optional.ofNullable(secrets.get(name))),
            List.of(
                new SlackSender(http, Duration.ofSeconds(5), clock),
                new WebhookSender(http, Duration.ofSeconds(5), clock)),
            // Backoff delays are recorded, not waited: the assertions are on what was asked for.
            sleeps::add,
            clock,
            new Notifier.Settings(
                new RetryPolicy(4, Duration.ofMillis(50), Duration.ofSeconds(2)),
                Duration.ofMinutes(30),
                List.of(Channel.slack("ops-slack", "", "Operations Slack", "env:OPS_SLACK"))));
  }

  @AfterEach
  void close() throws Exception {
    receiver.close();
  }

  private void webhookRule(String org, Long cooldownMinutes) {
    Instant now = Instant.now();
    Map<String, Object> channel = new HashMap<>();
    channel.put("channel_id", "hook");
    channel.put("org_slug", org);
    channel.put("channel_type", "webhook");
    channel.put("name", "Acme on-call");
    channel.put("is_active", true);
    // Each org's secrets live in its own namespace (ORG_<SLUG>__...), as in production.
    secrets.put(TenantNamespace.prefix(org) + "HOOK_URL", receiver.url("/hook"));
    secrets.put(TenantNamespace.prefix(org) + "HOOK_SECRET", SECRET);
    channel.put("webhook_url_encrypted", TenantNamespace.reference(org, "HOOK_URL"));
    channel.put("webhook_headers_encrypted", TenantNamespace.reference(org, "HOOK_SECRET"));
    channel.put("created_at", now);
    duck.insertRows(CENTRAL, "org_notification_channels", List.of(channel));
    Map<String, Object> rule = new HashMap<>();
    rule.put("rule_id", "failures");
    rule.put("org_slug", org);
    rule.put("name", "Failures to on-call");
    rule.put("is_active", true);
    rule.put("priority", "high");
    rule.put("rule_category", "provisioning");
    rule.put("rule_type", "*.failed");
    rule.put("conditions", "{\"min_priority\":\"high\"}");
    rule.put("cooldown_minutes", cooldownMinutes);
    rule.put("created_at", now);
    duck.insertRows(CENTRAL, "org_notification_rules", List.of(rule));
    // REPEATED columns are not writable through the Warehouse port; set the list in SQL.
    duck.execute(
        "UPDATE organizations.org_notification_rules SET notify_channel_ids = ['hook']"
            + " WHERE org_slug = '"
            + org
            + "'");
  }

  private static NotifyEvent failure(String org) {
    String json =
        "{\"org_slug\":\""
            + org
            + "\",\"error_kind\":\"permanent\",\"error_code\":\"WAREHOUSE_PERMANENT\","
            + "\"error\":\"access denied\",\"attempts\":1}";
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> data = JSON.readValue(json, Map.class);
      return new NotifyEvent(
          UUID.randomUUID().toString(),
          "org.sync.failed",
          "//org-provisioner/local",
          org,
          Instant.now(),
          data,
          json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<Map<String, Object>> historyOf(String org) {
    history.flush();
    List<Map<String, Object>> rows =
        new ArrayList<>(
            duck.selectRows(
                CENTRAL, WarehouseNotificationHistory.TABLE, Map.of("org_slug", org), 100));
    rows.sort(Comparator.comparing(r -> r.get("created_at").toString()));
    return rows;
  }

  @Test
  void receiverAnswering500TwiceThen200_getsTheEventOnce_signed_withTheRetriesInHistory()
      throws Exception {
    webhookRule("acme_retry", 0L);
    receiver.script("/hook", 500, 500);
    NotifyEvent event = failure("acme_retry");

    long start = System.nanoTime();
    Notifier.Outcome outcome = notifier.handle(event);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    List<HttpReceiver.Request> posts = receiver.requests("/hook");
    assertThat(posts).extracting(HttpReceiver.Request::answered).containsExactly(500, 500, 200);
    HttpReceiver.Request accepted = posts.get(2);
    assertThat(
            WebhookSigner.verify(
                SECRET,
                accepted.header("X-Timestamp"),
                accepted.body(),
                accepted.header("X-Signature"),
                Instant.now(),
                Duration.ofMinutes(5)))
        .isTrue();
    JsonNode body = JSON.readTree(accepted.body());
    assertThat(body.get("id").asText()).isEqualTo(event.id());
    assertThat(body.get("type").asText()).isEqualTo("org.sync.failed");
    assertThat(body.get("data").get("error_code").asText()).isEqualTo("WAREHOUSE_PERMANENT");
    assertThat(accepted.text()).doesNotContain(SECRET);

    assertThat(historyOf("acme_retry"))
        .extracting(r -> r.get("status"), r -> ((Number) r.get("retry_count")).intValue())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("QUEUED", 0),
            org.assertj.core.groups.Tuple.tuple("RETRYING", 0),
            org.assertj.core.groups.Tuple.tuple("RETRYING", 1),
            org.assertj.core.groups.Tuple.tuple("SENT", 2));
    assertThat(historyOf("acme_retry"))
        .allSatisfy(
            r -> {
              assertThat(r.get("channel_id")).isEqualTo("hook");
              assertThat(r.get("rule_id")).isEqualTo("failures");
              assertThat(r.get("notification_type")).isEqualTo("org.sync.failed");
              assertThat(String.valueOf(r.get("error_message"))).doesNotContain("127.0.0.1");
            });
    assertThat(outcome.routes())
        .singleElement()
        .satisfies(r -> assertThat(r.attempts()).isEqualTo(3));
    assertThat(sleeps).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
    System.out.printf(
        "[notify] 500,500,200: %d attempts, %d ms backoff planned, %d ms in all%n",
        outcome.routes().get(0).attempts(), outcome.routes().get(0).waited().toMillis(), elapsedMs);
  }

  @Test
  void receiverAnswering400_isRecordedFailed_andNotRetried() throws Exception {
    webhookRule("acme_bad", 0L);
    receiver.script("/hook", 400);

    Notifier.Outcome outcome = notifier.handle(failure("acme_bad"));

    assertThat(receiver.requests("/hook")).hasSize(1);
    assertThat(outcome.count(DeliveryStatus.FAILED)).isEqualTo(1);
    assertThat(historyOf("acme_bad"))
        .extracting(r -> r.get("status"), r -> r.get("error_message"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("QUEUED", null),
            org.assertj.core.groups.Tuple.tuple("FAILED", "HTTP 400 (permanent, not retried)"));
    assertThat(sleeps).isEmpty();
  }

  @Test
  void tooManyRequestsWithRetryAfter_waitsWhatTheReceiverAsked() throws Exception {
    webhookRule("acme_429", 0L);
    receiver.script("/hook", new HttpReceiver.Answer(429, "1"));

    Notifier.Outcome outcome = notifier.handle(failure("acme_429"));

    assertThat(receiver.requests("/hook"))
        .extracting(HttpReceiver.Request::answered)
        .containsExactly(429, 200);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
    assertThat(outcome.count(DeliveryStatus.SENT)).isEqualTo(1);
    System.out.printf(
        "[notify] 429 Retry-After 1: %d attempts, %d ms waited%n",
        outcome.routes().get(0).attempts(), outcome.routes().get(0).waited().toMillis());
  }

  @Test
  void sameFailureTwiceWithinTheCooldown_notifiesOnce_andRecordsOneSkippedRow() throws Exception {
    webhookRule("acme_flap", 30L);

    notifier.handle(failure("acme_flap"));
    Notifier.Outcome second = notifier.handle(failure("acme_flap"));

    assertThat(receiver.requests("/hook")).hasSize(1);
    assertThat(second.count(DeliveryStatus.SKIPPED)).isEqualTo(1);
    List<Map<String, Object>> rows = historyOf("acme_flap");
    assertThat(rows).filteredOn(r -> "SENT".equals(r.get("status"))).hasSize(1);
    assertThat(rows)
        .filteredOn(r -> "SKIPPED".equals(r.get("status")))
        .singleElement()
        .satisfies(
            r -> assertThat(r.get("error_message").toString()).contains("cooldown of 30 min"));
  }

  @Test
  void redeliveredEvent_isNotSentAgain() throws Exception {
    webhookRule("acme_dup", 0L);
    NotifyEvent event = failure("acme_dup");

    notifier.handle(event);
    Notifier.Outcome again = notifier.handle(event);

    assertThat(receiver.requests("/hook")).hasSize(1);
    assertThat(again.duplicates()).isEqualTo(1);
    assertThat(again.routes()).isEmpty();
  }

  @Test
  void orgWithoutRules_driftGoesToTheOpsSlackWebhook() throws Exception {
    NotifyEvent drift =
        new NotifyEvent(
            UUID.randomUUID().toString(),
            "drift.detected",
            "//org-provisioner/local",
            "acme_drift",
            Instant.now(),
            Map.of("dataset", "acme_drift_local", "status", "OUT_OF_SYNC", "repair_queued", true),
            "{}");

    notifier.handle(drift);

    assertThat(receiver.requests("/slack"))
        .singleElement()
        .satisfies(
            post -> {
              JsonNode body = JSON.readTree(post.body());
              assertThat(body.get("text").asText())
                  .contains("Drift detected in acme_drift")
                  .contains("acme_drift_local");
            });
    assertThat(historyOf("acme_drift"))
        .extracting(r -> r.get("channel_id"), r -> r.get("status"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ops-slack", "QUEUED"),
            org.assertj.core.groups.Tuple.tuple("ops-slack", "SENT"));
  }

  @Test
  void channelWhoseSecretIsNotSet_isRecordedFailed_namingTheReferenceNotAValue() throws Exception {
    webhookRule("acme_nosecret", 0L);
    secrets.remove(TenantNamespace.prefix("acme_nosecret") + "HOOK_URL");

    notifier.handle(failure("acme_nosecret"));

    assertThat(receiver.requests("/hook")).isEmpty();
    assertThat(historyOf("acme_nosecret"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get("status")).isEqualTo("FAILED");
              assertThat(r.get("error_message").toString())
                  .contains(
                      "webhook_url_encrypted references env:ORG_ACME_NOSECRET__HOOK_URL,"
                          + " which is not set");
            });
  }

  @Test
  void orgChannelNamingAPlatformSecret_isRefused_andNothingIsSentWithIt() throws Exception {
    webhookRule("acme_thief", 0L);
    // The tenant's row points its webhook at the operations Slack URL (a platform secret).
    duck.execute(
        "UPDATE organizations.org_notification_channels SET webhook_url_encrypted ="
            + " 'env:OPS_SLACK' WHERE org_slug = 'acme_thief'");

    notifier.handle(failure("acme_thief"));

    assertThat(receiver.requests("/slack")).isEmpty();
    assertThat(receiver.requests("/hook")).isEmpty();
    assertThat(historyOf("acme_thief"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get("status")).isEqualTo("FAILED");
              assertThat(r.get("error_message").toString())
                  .contains("outside org acme_thief's namespace")
                  .contains("env:ORG_ACME_THIEF__<NAME>")
                  .doesNotContain(receiver.url("/slack"));
            });
  }
}
