package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.EventSchemas;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** API key rotation: the new key active, the previous ones revoked, converging on every repeat. */
class ApiKeyRotationJobTest {

  private static final String FIRST = JobHarness.API_KEY_SHA256;
  private static final String SECOND = "cd".repeat(32);

  private final JobHarness harness = new JobHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private String onboarded() {
    String org = JobHarness.unique("keys");
    harness.runToSuccess(JobHarness.onboard(org, null), new AttemptsStepLog());
    return org;
  }

  private Map<String, Map<String, Object>> keys(String org) {
    return harness
        .duck
        .selectRows("organizations", "org_api_keys", Map.of("org_slug", org), 100)
        .stream()
        .collect(Collectors.toMap(r -> String.valueOf(r.get("org_api_key_id")), r -> r));
  }

  private static String id(String org, String sha) {
    return org + "_" + sha.substring(0, 12);
  }

  @Test
  void rotation_activatesTheNewKey_revokesThePrevious_andSaysSoInASchemaValidEvent() {
    String org = onboarded();

    JobResult result =
        harness.runToSuccess(JobHarness.rotateKey(org, SECOND, true), new AttemptsStepLog());

    assertThat(result.eventType()).isEqualTo("org.api_key.rotated");
    String json = EventFactory.json(result.data());
    assertThat(EventSchemas.violations("org.api_key.rotated", json)).isEmpty();
    Map<String, Object> data = JobHarness.data(result);
    assertThat(data)
        .containsEntry("api_key_id", id(org, SECOND))
        .containsEntry("already_active", false)
        .containsEntry("revoked_key_ids", List.of(id(org, FIRST)));
    Map<String, Map<String, Object>> keys = keys(org);
    assertThat(keys.get(id(org, SECOND)).get("is_active")).isEqualTo(true);
    assertThat(keys.get(id(org, FIRST)).get("is_active")).isEqualTo(false);
    assertThat(CentralRows.instant(keys.get(id(org, FIRST)).get("updated_at")).toString())
        .isEqualTo(data.get("rotated_at"));
    assertThat(json).doesNotContain(SECOND);
    assertThat(
            harness.duck.selectRows(
                "organizations",
                "org_audit_logs",
                Map.of("org_slug", org, "action", "ORG_API_KEY_ROTATED"),
                10))
        .hasSize(1);
  }

  @Test
  void repeatingARotation_changesNothing_andReportsTheKeyAlreadyActive() {
    String org = onboarded();
    harness.runToSuccess(JobHarness.rotateKey(org, SECOND, true), new AttemptsStepLog());
    Map<String, Map<String, Object>> before = keys(org);

    JobResult again =
        harness.runToSuccess(JobHarness.rotateKey(org, SECOND, true), new AttemptsStepLog());

    assertThat(JobHarness.data(again))
        .containsEntry("already_active", true)
        .containsEntry("revoked_key_ids", List.of());
    assertThat(keys(org)).isEqualTo(before);
  }

  @Test
  void keepingThePreviousKeys_leavesThemActive() {
    String org = onboarded();

    harness.runToSuccess(JobHarness.rotateKey(org, SECOND, false), new AttemptsStepLog());

    assertThat(keys(org).values()).allSatisfy(k -> assertThat(k.get("is_active")).isEqualTo(true));
    assertThat(keys(org)).hasSize(2);
  }

  @Test
  void aRotationFailingPartWay_convergesOnRetry_toTheSameRowsAndEvent() {
    String org = onboarded();
    // The write of the keys lands but its answer is lost: the next attempt finds it done.
    harness.warehouse.failNextUpsertOf("org_api_keys", true);

    JobResult result =
        harness.runToSuccess(JobHarness.rotateKey(org, SECOND, true), new AttemptsStepLog());

    assertThat(harness.warehouse.injected.get()).isPositive();
    assertThat(JobHarness.data(result))
        .containsEntry("already_active", false)
        .containsEntry("revoked_key_ids", List.of(id(org, FIRST)));
    assertThat(keys(org)).hasSize(2);
    assertThat(keys(org).get(id(org, FIRST)).get("is_active")).isEqualTo(false);
  }

  @Test
  void revocation_keepsWhatOthersSetOnTheKey() {
    String org = onboarded();
    harness.duck.execute(
        "UPDATE organizations.org_api_keys SET scopes = ['read', 'write'] WHERE org_slug = '"
            + org
            + "'");

    harness.runToSuccess(JobHarness.rotateKey(org, SECOND, true), new AttemptsStepLog());

    assertThat(String.valueOf(keys(org).get(id(org, FIRST)).get("scopes")))
        .contains("read", "write");
  }

  @Test
  void rotatingBackToARevokedKey_failsPermanently_andChangesNothing() {
    String org = onboarded();
    harness.runToSuccess(JobHarness.rotateKey(org, SECOND, true), new AttemptsStepLog());
    Map<String, Map<String, Object>> before = keys(org);

    assertThatThrownBy(
            () ->
                harness.runToSuccess(JobHarness.rotateKey(org, FIRST, true), new AttemptsStepLog()))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> {
              assertThat(e.error().code()).isEqualTo("API_KEY_REVOKED");
              assertThat(e.error().message()).contains(id(org, FIRST), "issue a new key");
            });
    assertThat(keys(org)).isEqualTo(before);
  }

  @Test
  void rotationForAnOrgNeverOnboarded_failsWithOrgNotFound_andWritesNoKey() {
    String org = JobHarness.unique("ghost");

    assertThatThrownBy(
            () -> harness.run(JobHarness.rotateKey(org, SECOND, true), new AttemptsStepLog()))
        .isInstanceOfSatisfying(
            JobFailedException.class, e -> assertThat(e.error().code()).isEqualTo("ORG_NOT_FOUND"));
    assertThat(keys(org)).isEmpty();
    assertThat(harness.jobs.failureEventType(CommandType.ROTATE_API_KEY))
        .isEqualTo("org.api_key.rotation.failed");
  }

  @Test
  void onboardingTheSameProfileAgainWithRegenerate_rotatesTheKey() {
    String org = onboarded();
    Map<String, Object> data = MalformedCommands.onboardData(org);
    data.put("api_key_sha256", SECOND);
    data.put("regenerate_api_key_if_exists", true);

    JobResult result =
        harness.runToSuccess(JobHarness.job(CommandType.ONBOARD, org, data), new AttemptsStepLog());

    assertThat(result.eventType()).isEqualTo("org.onboarded");
    assertThat(keys(org).get(id(org, SECOND)).get("is_active")).isEqualTo(true);
    assertThat(keys(org).get(id(org, FIRST)).get("is_active")).isEqualTo(false);
  }

  @Test
  void onboardingTheSameProfileAgainWithoutRegenerate_addsTheKeyBesideTheOthers() {
    String org = onboarded();
    Map<String, Object> data = MalformedCommands.onboardData(org);
    data.put("api_key_sha256", SECOND);

    harness.runToSuccess(JobHarness.job(CommandType.ONBOARD, org, data), new AttemptsStepLog());

    assertThat(keys(org).values()).allSatisfy(k -> assertThat(k.get("is_active")).isEqualTo(true));
  }
}
