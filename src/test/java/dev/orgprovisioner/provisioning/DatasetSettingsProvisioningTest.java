package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.plan.DifferenceKind;
import dev.orgprovisioner.plan.SyncStatus;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.LedgerFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dataset settings chosen at onboarding are recorded in the profile and kept by every later sync,
 * drift check and repair; configuration overrides them per org.
 */
class DatasetSettingsProvisioningTest {

  private static final Map<String, Object> CHOSEN =
      Map.of(
          "max_time_travel_hours", 72,
          "default_table_expiration_days", 30,
          "labels", Map.of("cost-center", "cc_1"));

  private JobHarness harness = new JobHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private DatasetSettings settings(String org) {
    return harness.duck.freshSnapshot(org + "_local").orElseThrow().settings();
  }

  private Object recorded(String org) {
    return harness
        .duck
        .selectRows("organizations", "org_profiles", Map.of("org_slug", org), 1)
        .get(0)
        .get(RecordedDataset.SETTINGS_COLUMN);
  }

  /** Someone shortens the org's time travel back to a week, by hand. */
  private void widenTimeTravelByHand(String org) {
    harness.duck.execute(
        "UPDATE "
            + org
            + "_local._provisioner.object_meta SET settings = '{\"maxTimeTravelHours\":168}'"
            + " WHERE name = ''");
  }

  @Test
  void onboardingSettings_areSetOnTheDataset_andRecordedInTheProfile() {
    String org = JobHarness.unique("chosen");

    harness.runToSuccess(JobHarness.onboardChoosing(org, CHOSEN), new AttemptsStepLog());

    assertThat(settings(org).maxTimeTravel()).isEqualTo(Duration.ofHours(72));
    assertThat(settings(org).defaultTableExpiration()).isEqualTo(Duration.ofDays(30));
    assertThat(harness.duck.freshSnapshot(org + "_local").orElseThrow().labels())
        .containsEntry("cost-center", "cc_1")
        .containsEntry("domain", "cost-analytics");
    assertThat(recorded(org).toString())
        .contains("\"max_time_travel_hours\":72", "\"default_table_expiration_days\":30");
    assertThat(harness.service.orgStatus(OrgSlug.parse(org)).status()).isEqualTo(SyncStatus.SYNCED);
  }

  @Test
  void onboardingWithoutSettings_getsTheCatalogs_andRecordsNone() {
    String org = JobHarness.unique("plain");

    harness.runToSuccess(JobHarness.onboard(org, null), new AttemptsStepLog());

    assertThat(settings(org).maxTimeTravel()).isEqualTo(Duration.ofHours(168));
    assertThat(recorded(org)).isNull();
  }

  @Test
  void settingChangedByHand_isReportedByTheDriftCheck_andTheRepairRestoresTheOnboardingsChoice() {
    String org = JobHarness.unique("drifty");
    harness.runToSuccess(JobHarness.onboardChoosing(org, CHOSEN), new AttemptsStepLog());
    Ledger ledger = LedgerFixtures.inMemory(Duration.ofSeconds(60));
    DriftChecker checker =
        new DriftChecker(
            harness.service,
            ledger,
            new EventFactory("//test"),
            Clock.systemUTC(),
            new DriftChecker.Settings(10, 50));
    assertThat(counts(checker.run(checkJob(ledger, "before"), all())))
        .as("the onboarding's choice is no drift")
        .containsEntry("OUT_OF_SYNC", 0);
    ledger.release(lastCheck.lease(), Clock.systemUTC().instant());

    widenTimeTravelByHand(org);
    Map<String, Object> summary = checker.run(checkJob(ledger, "after"), all());

    assertThat(counts(summary)).containsEntry("OUT_OF_SYNC", 1);
    assertThat(ledger.unpublished(100))
        .filteredOn(e -> e.type().equals("drift.detected"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.data())
                    .contains(DifferenceKind.DATASET_OPTIONS_CHANGED.name())
                    .contains("max_time_travel_hours")
                    .contains("\"repair_queued\":true"));
    Job repair = ledger.jobs(JobState.QUEUED, org, 10).get(0);
    harness.runToSuccess(repair, new AttemptsStepLog());
    assertThat(settings(org).maxTimeTravel()).isEqualTo(Duration.ofHours(72));
    assertThat(harness.service.orgStatus(OrgSlug.parse(org)).status()).isEqualTo(SyncStatus.SYNCED);
  }

  @Test
  void aSyncOfARecreatedDataset_usesTheRecordedSettings() {
    String org = JobHarness.unique("again");
    harness.runToSuccess(JobHarness.onboardChoosing(org, CHOSEN), new AttemptsStepLog());
    harness.duck.dropByHand(org + "_local"); // its metadata goes with its file

    harness.runToSuccess(JobHarness.sync(org, false), new AttemptsStepLog());

    assertThat(settings(org).maxTimeTravel()).isEqualTo(Duration.ofHours(72));
    assertThat(settings(org).defaultTableExpiration()).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void onboardingAgainWithOtherSettings_failsNamingThem_andChangesNothing() {
    String org = JobHarness.unique("twice");
    harness.runToSuccess(JobHarness.onboardChoosing(org, CHOSEN), new AttemptsStepLog());

    assertThatThrownBy(
            () ->
                harness.runToSuccess(
                    JobHarness.onboardChoosing(org, Map.of("max_time_travel_hours", 96)),
                    new AttemptsStepLog()))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> {
              assertThat(e.error().transientFailure()).isFalse();
              assertThat(e.error().code()).isEqualTo("DATASET_SETTINGS_CONFLICT");
              assertThat(e.error().message())
                  .contains(org, "max_time_travel_hours=96 (recorded: 72)");
            });
    assertThat(settings(org).maxTimeTravel()).isEqualTo(Duration.ofHours(72));

    var same = harness.runToSuccess(JobHarness.onboardChoosing(org, CHOSEN), new AttemptsStepLog());
    assertThat(JobHarness.data(same)).containsEntry("already_existed", true);
  }

  @Test
  void configuration_overridesPerOrgOverTheOnboarding_andByDefaultUnderIt() {
    harness.close();
    String chooser = JobHarness.unique("chooser");
    String other = JobHarness.unique("other");
    harness =
        new JobHarness(
            new ProvisioningSettings(
                Environment.LOCAL,
                "EU",
                new DatasetSettings(
                    Duration.ofDays(365), null, Duration.ofHours(96), null, Map.of("env", "t")),
                Map.of(
                    chooser,
                    new DatasetSettings(
                        Duration.ofDays(7), null, null, null, Map.of("cost-center", "ops")))));

    harness.runToSuccess(JobHarness.onboardChoosing(chooser, CHOSEN), new AttemptsStepLog());
    harness.runToSuccess(JobHarness.onboard(other, null), new AttemptsStepLog());

    assertThat(settings(chooser).maxTimeTravel())
        .as("onboarding over the default")
        .isEqualTo(Duration.ofHours(72));
    assertThat(settings(chooser).defaultTableExpiration())
        .as("the org's configuration over the onboarding")
        .isEqualTo(Duration.ofDays(7));
    assertThat(harness.duck.freshSnapshot(chooser + "_local").orElseThrow().labels())
        .containsEntry("cost-center", "ops")
        .containsEntry("env", "t");
    assertThat(settings(other).maxTimeTravel())
        .as("the default over the catalog")
        .isEqualTo(Duration.ofHours(96));
    assertThat(settings(other).defaultTableExpiration()).isEqualTo(Duration.ofDays(365));
  }

  private static Command.DriftCheck all() {
    return new Command.DriftCheck(List.of(), true);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Integer> counts(Map<String, Object> summary) {
    return (Map<String, Integer>) summary.get("counts");
  }

  private Job lastCheck;

  private Job checkJob(Ledger ledger, String id) {
    var envelope =
        ((DecodeResult.Accepted)
                CommandDecoder.fromClasspath(getClass().getClassLoader(), 64 * 1024)
                    .decode(
                        Map.of(
                            "ce-specversion", "1.0",
                            "ce-type", "drift.check.requested",
                            "ce-id", id,
                            "ce-source", "//scheduler"),
                        "{\"scope\":\"all\"}".getBytes(StandardCharsets.UTF_8),
                        null))
            .envelope();
    lastCheck = LedgerFixtures.acceptAndLease(ledger, envelope, "w", Clock.systemUTC().instant());
    return lastCheck;
  }
}
