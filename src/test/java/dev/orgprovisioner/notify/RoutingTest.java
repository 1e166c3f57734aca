package dev.orgprovisioner.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rule matching, default rules and routing to channels (pure). */
class RoutingTest {

  private static final List<Channel> OPS =
      List.of(
          Channel.email("ops-email", "", "ops", List.of("ops@example.com")),
          Channel.slack("ops-slack", "", "ops", "env:OPS"));

  static NotifyEvent event(String type, String org) {
    return new NotifyEvent(
        "ev-1", type, "//test", org, Instant.parse("2026-01-01T00:00:00Z"), Map.of(), "{}");
  }

  private static Rule rule(String id, String patterns, Priority min, String... channels) {
    return new Rule(
        id,
        "acme",
        id,
        true,
        Priority.HIGH,
        List.of(patterns.split(",")),
        min,
        List.of(channels),
        Duration.ofMinutes(5));
  }

  @Test
  void orgWithoutRules_onboardedGoesToAdminMailAndOps() {
    List<Route> routes = Router.route(event("org.onboarded", "acme"), List.of(), List.of(), OPS);

    assertThat(routes)
        .extracting(Route::channelId)
        .containsExactly(DefaultRules.ORG_ADMIN_EMAIL, "ops-email", "ops-slack");
    assertThat(routes.get(0).channel().recipients()).containsExactly(Channel.ORG_ADMIN);
    assertThat(routes).extracting(r -> r.rule().id()).containsOnly("default-onboarded");
  }

  @Test
  void orgWithoutRules_failuresAndDriftGoToOpsOnly_successesOfSyncToNobody() {
    assertThat(Router.route(event("org.sync.failed", "acme"), List.of(), List.of(), OPS))
        .extracting(Route::channelId)
        .containsExactly("ops-email", "ops-slack");
    assertThat(Router.route(event("drift.detected", "acme"), List.of(), List.of(), OPS))
        .extracting(r -> r.rule().id())
        .containsOnly("default-drift");
    assertThat(Router.route(event("org.synced", "acme"), List.of(), List.of(), OPS)).isEmpty();
  }

  @Test
  void orgRules_replaceTheDefaults_andRouteByTypeAndPriority() {
    Channel hook = Channel.webhook("hook", "acme", "hook", "env:U", "env:S");
    List<Rule> rules =
        List.of(
            rule("high-only", "*", Priority.HIGH, "hook"),
            rule("drift", "drift.*", Priority.LOW, "ops"));

    assertThat(Router.route(event("org.onboarded", "acme"), rules, List.of(hook), OPS)).isEmpty();
    assertThat(Router.route(event("org.sync.failed", "acme"), rules, List.of(hook), OPS))
        .extracting(Route::channelId)
        .containsExactly("hook");
    assertThat(Router.route(event("drift.detected", "acme"), rules, List.of(hook), OPS))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.channelId()).isEqualTo("ops");
              assertThat(r.refusal()).contains("names the operations channels");
            });
  }

  @Test
  void orgRuleNamingTheOperationsChannels_isRefusedWithTheReason_defaultsStillReachThem() {
    List<Route> routes =
        Router.route(
            event("drift.detected", "acme"),
            List.of(rule("page-ops", "drift.*", Priority.LOW, "ops")),
            List.of(),
            OPS);

    assertThat(routes).hasSize(1);
    assertThat(routes.get(0).channel()).isNull();
    assertThat(routes.get(0).platform()).isFalse();
    assertThat(routes.get(0).refusal())
        .contains("rule page-ops of org acme names the operations channels");
    assertThat(Router.route(event("drift.detected", "acme"), List.of(), List.of(), OPS))
        .allSatisfy(r -> assertThat(r.platform()).isTrue())
        .extracting(Route::channelId)
        .containsExactly("ops-email", "ops-slack");
  }

  @Test
  void inactiveRuleIsIgnored_andUnknownOrInactiveChannelRoutesWithoutChannel() {
    Rule off =
        new Rule(
            "off", "acme", "off", false, Priority.LOW, List.of("*"), null, List.of("hook"), null);
    Channel inactive =
        new Channel(
            "hook",
            "acme",
            ChannelType.WEBHOOK,
            "h",
            false,
            null,
            null,
            "",
            "env:U",
            "env:S",
            null,
            null);
    NotifyEvent failed = event("org.sync.failed", "acme");

    assertThat(Router.route(failed, List.of(off), List.of(inactive), OPS)).isEmpty();
    assertThat(
            Router.route(
                failed,
                List.of(rule("r", "*.failed", null, "hook", "gone")),
                List.of(inactive),
                OPS))
        .extracting(Route::channelId, Route::channel)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("hook", null),
            org.assertj.core.groups.Tuple.tuple("gone", null));
  }

  @Test
  void aChannelReachedByTwoRules_isDeliveredOnce() {
    Channel hook = Channel.webhook("hook", "acme", "hook", "env:U", "env:S");
    List<Rule> rules =
        List.of(rule("a", "*.failed", null, "hook"), rule("b", "org.*", null, "hook"));

    assertThat(Router.route(event("org.sync.failed", "acme"), rules, List.of(hook), OPS))
        .extracting(r -> r.rule().id())
        .containsExactly("a");
  }

  @Test
  void globs_matchWholeTypes() {
    assertThat(Rule.typeMatches("*.failed", "org.onboarding.failed")).isTrue();
    assertThat(Rule.typeMatches("*.failed", "org.failed.not")).isFalse();
    assertThat(Rule.typeMatches("org.onboarded", "org.onboarded")).isTrue();
    assertThat(Rule.typeMatches("org.onboarded", "orgXonboarded")).isFalse();
  }

  @Test
  void eventPriorities_failuresHighDriftMediumRestLow() {
    assertThat(Priority.ofEventType("central.bootstrap.failed")).isEqualTo(Priority.HIGH);
    assertThat(Priority.ofEventType("drift.detected")).isEqualTo(Priority.MEDIUM);
    assertThat(Priority.ofEventType("org.onboarded")).isEqualTo(Priority.LOW);
    assertThatThrownBy(() -> Priority.parse("urgent", "priority"))
        .hasMessageContaining("priority")
        .hasMessageContaining("urgent");
  }

  @Test
  void rendering_unconfirmedDriftSaysOnlyTheBulkReadShowedIt() {
    NotifyEvent unconfirmed =
        new NotifyEvent(
            "e",
            "drift.detected",
            "s",
            "acme",
            null,
            Map.of("dataset", "acme_prod", "status", "OUT_OF_SYNC", "confirmed", false),
            "{}");
    NotifyEvent confirmed =
        new NotifyEvent(
            "e",
            "drift.detected",
            "s",
            "acme",
            null,
            Map.of("dataset", "acme_prod", "status", "OUT_OF_SYNC", "confirmed", true),
            "{}");

    assertThat(MessageRenderer.render(unconfirmed, "").text()).contains("Unconfirmed");
    assertThat(MessageRenderer.render(confirmed, "").text()).doesNotContain("Unconfirmed");
  }

  @Test
  void rendering_welcomeMailNamesTheOrgAndFailureCarriesTheError() {
    NotifyEvent onboarded =
        new NotifyEvent(
            "e", "org.onboarded", "s", "acme", null, Map.of("dataset", "acme_prod"), "{}");
    NotifyEvent failed =
        new NotifyEvent(
            "e",
            "org.sync.failed",
            "s",
            "acme",
            null,
            Map.of("error_code", "WAREHOUSE_PERMANENT", "error", "denied", "attempts", 3),
            "{}");

    assertThat(MessageRenderer.render(onboarded, "[Acme]").subject())
        .isEqualTo("[Acme] Your workspace acme is ready");
    assertThat(MessageRenderer.render(onboarded, "").text()).contains("acme_prod");
    assertThat(MessageRenderer.render(failed, null).subject())
        .isEqualTo("[FAILED] org.sync.failed for acme");
    assertThat(MessageRenderer.render(failed, null).text())
        .contains("WAREHOUSE_PERMANENT denied")
        .contains("after 3 attempt(s)");
  }
}
