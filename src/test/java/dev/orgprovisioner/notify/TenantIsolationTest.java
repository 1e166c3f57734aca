package dev.orgprovisioner.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An org's channel rows reach only the org's secrets and people, and cannot forge headers. */
class TenantIsolationTest {

  private static final Map<String, String> ENV =
      Map.of(
          "ORG_ACME__HOOK", "https://hooks.example/acme",
          "ORG_ACME__CORP__HOOK", "https://hooks.example/acme-corp",
          "SMTP_PASSWORD", "platform-smtp-secret",
          "quarkus.mailer.password", "platform-smtp-secret");
  private static final ReferenceSecretResolver RESOLVER =
      new ReferenceSecretResolver(name -> Optional.ofNullable(ENV.get(name)));

  private static final NotificationDirectory DIRECTORY =
      new NotificationDirectory() {
        @Override
        public List<Rule> rules(String org) {
          return List.of();
        }

        @Override
        public List<Channel> channels(String org) {
          return List.of();
        }

        @Override
        public Optional<String> adminEmail(String org) {
          return Optional.of("admin@Acme.com");
        }
      };

  private static NotifyEvent event(String org) {
    return new NotifyEvent("ev-1", "org.sync.failed", "//t", org, Instant.EPOCH, Map.of(), "{}");
  }

  @Test
  void orgReferencesResolveOnlyInsideTheOrgsNamespace() {
    assertThat(RESOLVER.resolve("acme", "env:ORG_ACME__HOOK"))
        .contains("https://hooks.example/acme");
    assertThat(RESOLVER.resolve("acme", "env:ORG_ACME__MISSING")).isEmpty();
  }

  @Test
  void orgReferenceToAPlatformKey_isRefusedWithoutItsValue() {
    for (String platform : List.of("env:SMTP_PASSWORD", "env:quarkus.mailer.password")) {
      assertThatThrownBy(() -> RESOLVER.resolve("acme", platform))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("outside org acme's namespace")
          .hasMessageContaining("env:ORG_ACME__<NAME>")
          .hasMessageNotContaining("platform-smtp-secret");
    }
  }

  @Test
  void orgReferenceIntoAnotherOrgsNamespace_isRefused_evenWhenSlugsShareAPrefix() {
    // Org "acme" must not read org "acme__corp"'s ORG_ACME__CORP__HOOK through its own prefix.
    assertThatThrownBy(() -> RESOLVER.resolve("acme", "env:ORG_ACME__CORP__HOOK"))
        .hasMessageContaining("outside org acme's namespace");
    assertThatThrownBy(() -> RESOLVER.resolve("other", "env:ORG_ACME__HOOK"))
        .hasMessageContaining("outside org other's namespace");
    assertThat(RESOLVER.resolve("acme__corp", "env:ORG_ACME__CORP__HOOK"))
        .contains("https://hooks.example/acme-corp");
  }

  @Test
  void platformChannelsStillNameAnyConfiguredKey_andClearTextIsRefusedForEveryone() {
    assertThat(RESOLVER.resolve("", "env:SMTP_PASSWORD")).contains("platform-smtp-secret");
    assertThatThrownBy(() -> RESOLVER.resolve("acme", "https://hooks.example/acme"))
        .hasMessageContaining("not a secret reference")
        .hasMessageNotContaining("hooks.example");
  }

  @Test
  void recipientsOutsideTheOrgsDomains_areRefused_namingTheDomain() throws Exception {
    Deliveries deliveries = new Deliveries(DIRECTORY, RESOLVER, Map.of("acme", List.of("acme.de")));
    Channel channel =
        new Channel(
            "mail",
            "acme",
            ChannelType.EMAIL,
            "mail",
            true,
            List.of("ops@acme.com", Channel.ORG_ADMIN),
            List.of("boss@acme.de"),
            "",
            null,
            null,
            null,
            null);
    Route route = new Route(null, "mail", channel);
    assertThat(deliveries.resolve(event("acme"), route, new Message("s", "t")).recipients())
        .containsExactly("ops@acme.com", "admin@Acme.com");

    Channel leaky =
        Channel.email("mail", "acme", "mail", List.of("ops@acme.com", "someone@evil.example"));
    assertThatThrownBy(
            () ->
                deliveries.resolve(
                    event("acme"), new Route(null, "mail", leaky), new Message("s", "t")))
        .hasMessageContaining("sends to the domain evil.example")
        .hasMessageContaining("outside the org's allowed domains [acme.de, acme.com]");
  }

  @Test
  void aRecipientSmugglingAHeader_isRefused() {
    Deliveries deliveries = new Deliveries(DIRECTORY, RESOLVER, Map.of());
    Channel injected =
        Channel.email("mail", "acme", "mail", List.of("ops@acme.com\r\nBcc: all@evil.example"));

    assertThatThrownBy(
            () ->
                deliveries.resolve(
                    event("acme"), new Route(null, "mail", injected), new Message("s", "t")))
        .hasMessageContaining("not a plain e-mail address");
  }

  @Test
  void subjectPrefixWithLineBreaks_cannotStartAHeaderOfItsOwn() {
    Message message = MessageRenderer.render(event("acme"), "[Acme]\r\nBcc: all@evil.example\r\n");

    assertThat(message.subject())
        .doesNotContain("\r")
        .doesNotContain("\n")
        .startsWith("[Acme] Bcc: all@evil.example [FAILED]");
  }
}
