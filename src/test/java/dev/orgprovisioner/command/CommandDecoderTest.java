package dev.orgprovisioner.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.DecodeResult.Accepted;
import dev.orgprovisioner.command.DecodeResult.Rejected;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CommandDecoderTest {

  private final CommandDecoder decoder =
      CommandDecoder.fromClasspath(
          getClass().getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);

  static List<MalformedCommands.Case> malformed() {
    return MalformedCommands.all("acme", "bad");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedCommand_isRejectedWithCodeAndField(MalformedCommands.Case c) {
    DecodeResult result = decoder.decode(c.attributes(), c.data(), c.orderingKey());

    assertThat(result)
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> {
              assertThat(r.rejection().code()).isEqualTo(c.code());
              assertThat(r.rejection().field()).isEqualTo(c.field());
              assertThat(r.rejection().message()).isNotBlank();
              assertThat(Utf8Text.bytes(r.rejection().message()))
                  .isLessThanOrEqualTo(Rejection.MAX_MESSAGE_BYTES);
            });
  }

  /** Malformed onboarding data, as an HTTP request's body would carry it. */
  static List<MalformedCommands.Case> malformedOnboardingData() {
    return malformed().stream()
        .filter(c -> "org.onboard.requested".equals(c.attributes().get("ce-type")))
        .filter(c -> c.field().startsWith("data"))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedOnboardingData")
  void malformedRequestBody_isRejectedWithTheSameCodeAndFieldAsOverPubSub(
      MalformedCommands.Case c) {
    DecodeResult result =
        decoder.decodeRequest(CommandType.ONBOARD, c.data(), "req-1", "//tests/http", null);

    assertThat(result)
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> {
              assertThat(r.rejection().code()).isEqualTo(c.code());
              assertThat(r.rejection().field()).isEqualTo(c.field());
            });
  }

  @Test
  void requestBody_isDecodedWithoutAnOrderingKey_andTheCallersKeyAndDryRun() {
    Map<String, Object> data = MalformedCommands.onboardData("acme");
    data.put("dry_run", true);

    Accepted a =
        (Accepted)
            decoder.decodeRequest(
                CommandType.ONBOARD, MalformedCommands.json(data), "req-1", "//tests/http", "k-1");

    assertThat(a.envelope().id()).isEqualTo("req-1");
    assertThat(a.envelope().idempotencyKey()).isEqualTo("k-1");
    assertThat(((Command.Onboard) a.envelope().command()).dryRun()).isTrue();
    Rejected badKey =
        (Rejected)
            decoder.decodeRequest(
                CommandType.ONBOARD, MalformedCommands.json(data), "req-2", "//tests/http", "a b");
    assertThat(badKey.rejection().code()).isEqualTo(RejectionCode.INVALID_ATTRIBUTE);
    assertThat(badKey.rejection().field()).isEqualTo(CommandDecoder.IDEMPOTENCY_KEY);
  }

  @Test
  void syncViews_acceptTrueFalseAndRecreate_andNothingElse() {
    Map<String, String> attrs = MalformedCommands.onboardAttributes("v-1");
    attrs.put("ce-type", "org.sync.requested");
    for (var c :
        Map.of(
                "true", ViewOption.UPDATE,
                "false", ViewOption.SKIP,
                "\"recreate\"", ViewOption.RECREATE)
            .entrySet()) {
      Accepted a =
          (Accepted)
              decoder.decode(
                  attrs,
                  bytes("{\"org_slug\":\"acme\",\"options\":{\"views\":" + c.getKey() + "}}"),
                  "acme");
      assertThat(((Command.Sync) a.envelope().command()).views()).isEqualTo(c.getValue());
    }
    Rejected bad =
        (Rejected)
            decoder.decode(
                attrs, bytes("{\"org_slug\":\"acme\",\"options\":{\"views\":\"always\"}}"), "acme");
    assertThat(bad.rejection().field()).isEqualTo("data.options.views");
  }

  @Test
  void catalogueOfMalformedCommands_hasAtLeastTwentyFiveKinds() {
    assertThat(malformed()).extracting(MalformedCommands.Case::name).doesNotHaveDuplicates();
    assertThat(malformed()).hasSizeGreaterThanOrEqualTo(25);
  }

  @Test
  void exceptionInsideADecoderCheck_isARejectionOfThatMessage() {
    // A map whose lookups throw: stands in for any check failing unexpectedly.
    Map<String, String> hostile =
        new java.util.AbstractMap<>() {
          @Override
          public java.util.Set<Map.Entry<String, String>> entrySet() {
            throw new IllegalStateException("boom");
          }
        };

    DecodeResult result = decoder.decode(hostile, new byte[] {'{', '}'}, "acme");

    assertThat(result)
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> {
              assertThat(r.rejection().code()).isEqualTo(RejectionCode.UNDECODABLE);
              assertThat(r.rejection().field()).isEqualTo("data");
              assertThat(r.rejection().message()).doesNotContain("boom");
            });
  }

  @Test
  void slugAcceptedByTheSchema_isAcceptedByOrgSlug_andViceVersa() {
    for (String slug :
        List.of("acme", "a_1", "acme\n", "acme\r\n", "acme\u2028", "ab", "x".repeat(51))) {
      Map<String, Object> data = MalformedCommands.onboardData(slug);
      DecodeResult result =
          decoder.decode(
              MalformedCommands.onboardAttributes("c-" + slug.hashCode()),
              MalformedCommands.json(data),
              slug);
      assertThat(result instanceof Accepted).as(slug).isEqualTo(OrgSlug.isValid(slug));
    }
  }

  @Test
  void catalogueOfMalformedCommands_coversAtLeastFifteenKinds() {
    assertThat(malformed().stream().map(MalformedCommands.Case::code).distinct().count())
        .isGreaterThanOrEqualTo(15);
  }

  @Test
  void validOnboard_isAcceptedWithKeyDefaultingToId() {
    DecodeResult result =
        decoder.decode(
            MalformedCommands.onboardAttributes("cmd-1"),
            MalformedCommands.json(MalformedCommands.onboardData("acme")),
            "acme");

    assertThat(result)
        .isInstanceOfSatisfying(
            Accepted.class,
            a -> {
              CommandEnvelope e = a.envelope();
              assertThat(e.idempotencyKey()).isEqualTo("cmd-1");
              assertThat(e.command())
                  .isInstanceOfSatisfying(
                      Command.Onboard.class,
                      o -> {
                        assertThat(o.orgSlug().value()).isEqualTo("acme");
                        assertThat(o.subscriptionPlan()).isEqualTo(SubscriptionPlan.PROFESSIONAL);
                        assertThat(o.datasetLocation()).isNull();
                      });
              assertThat(e.scope()).isEqualTo("org.onboard.requested|acme|cmd-1");
            });
  }

  @Test
  void samePayloadWithOtherKeyOrder_hasTheSameFingerprint() {
    Map<String, String> attrs = MalformedCommands.onboardAttributes("cmd-2");
    String a =
        "{\"org_slug\":\"acme\",\"company_name\":\"Acme Inc\",\"admin_email\":\"a@acme.example\",\"subscription_plan\":\"STARTER\",\"default_currency\":\"EUR\",\"default_timezone\":\"UTC\"}";
    String b =
        "{\"default_timezone\":\"UTC\",\"default_currency\":\"EUR\",\"subscription_plan\":\"STARTER\",\"admin_email\":\"a@acme.example\",\"company_name\":\"Acme Inc\",\"org_slug\":\"acme\"}";
    String c = a.replace("STARTER", "SCALE");

    String fa = fingerprint(attrs, a);
    assertThat(fingerprint(attrs, b)).isEqualTo(fa);
    assertThat(fingerprint(attrs, c)).isNotEqualTo(fa);
  }

  @Test
  void explicitIdempotencyKey_winsOverCeId() {
    Map<String, String> attrs = MalformedCommands.onboardAttributes("cmd-3");
    attrs.put("idempotency-key", "signup-42");

    Accepted a =
        (Accepted)
            decoder.decode(
                attrs, MalformedCommands.json(MalformedCommands.onboardData("acme")), "acme");

    assertThat(a.envelope().idempotencyKey()).isEqualTo("signup-42");
  }

  @Test
  void syncDriftAndBootstrap_decodeWithDefaults() {
    Map<String, String> attrs = MalformedCommands.onboardAttributes("s-1");
    attrs.put("ce-type", "org.sync.requested");
    Accepted sync =
        (Accepted)
            decoder.decode(
                attrs, bytes("{\"org_slug\":\"acme\",\"options\":{\"dry_run\":true}}"), "acme");
    assertThat(sync.envelope().command())
        .isEqualTo(
            new Command.Sync(OrgSlug.parse("acme"), List.of(), true, ViewOption.UPDATE, true));

    attrs.put("ce-type", "drift.check.requested");
    Accepted drift =
        (Accepted) decoder.decode(attrs, bytes("{\"scope\":[\"acme\",\"globex\"]}"), null);
    assertThat(((Command.DriftCheck) drift.envelope().command()).orgs()).hasSize(2);
    Rejected badScope = (Rejected) decoder.decode(attrs, bytes("{\"scope\":\"some\"}"), null);
    assertThat(badScope.rejection().field()).isEqualTo("data.scope");

    attrs.put("ce-type", "central.bootstrap.requested");
    Accepted boot = (Accepted) decoder.decode(attrs, bytes("{}"), null);
    assertThat(boot.envelope().command()).isEqualTo(new Command.Bootstrap(false));
  }

  private String fingerprint(Map<String, String> attrs, String json) {
    return ((Accepted) decoder.decode(attrs, bytes(json), "acme")).envelope().fingerprint();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
