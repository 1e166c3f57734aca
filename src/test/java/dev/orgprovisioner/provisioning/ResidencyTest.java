package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.plan.Classification;
import dev.orgprovisioner.plan.DifferenceKind;
import dev.orgprovisioner.plan.SyncStatus;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.CentralRowCounts;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An org's dataset location is recorded at onboarding and used for every re-creation. */
class ResidencyTest {

  private final JobHarness harness = new JobHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private String location(String org) {
    return harness.duck.freshSnapshot(org + "_local").orElseThrow().location();
  }

  private Object recorded(String org) {
    return harness
        .duck
        .selectRows("organizations", "org_profiles", Map.of("org_slug", org), 1)
        .get(0)
        .get("dataset_location");
  }

  @Test
  void onboardingInAnotherLocation_isRecorded_andASyncRecreatesTheDeletedDatasetThere() {
    String org = JobHarness.unique("us");
    harness.runToSuccess(JobHarness.onboard(org, "US"), new AttemptsStepLog());
    assertThat(location(org)).isEqualTo("US");
    assertThat(recorded(org)).isEqualTo("US");
    harness.duck.dropByHand(org + "_local");
    assertThat(harness.service.orgStatus(OrgSlug.parse(org)).status())
        .isEqualTo(SyncStatus.PROFILE_ONLY);

    harness.runToSuccess(JobHarness.sync(org, false), new AttemptsStepLog());

    assertThat(location(org)).isEqualTo("US");
    assertThat(harness.service.orgStatus(OrgSlug.parse(org)).status()).isEqualTo(SyncStatus.SYNCED);
  }

  @Test
  void onboardingWithoutALocation_recordsTheDefault() {
    String org = JobHarness.unique("eu");

    harness.runToSuccess(JobHarness.onboard(org, null), new AttemptsStepLog());

    assertThat(recorded(org)).isEqualTo("EU");
    assertThat(location(org)).isEqualTo("EU");
  }

  @Test
  void onboardingAnExistingOrgInAnotherLocation_failsPermanentlyNamingBoth_andChangesNothing() {
    String org = JobHarness.unique("moved");
    harness.runToSuccess(JobHarness.onboard(org, "US"), new AttemptsStepLog());

    assertThatThrownBy(
            () ->
                harness.runToSuccess(
                    JobHarness.onboard(org, "europe-west3"), new AttemptsStepLog()))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> {
              assertThat(e.error().transientFailure()).isFalse();
              assertThat(e.error().code()).isEqualTo("DATASET_LOCATION_CONFLICT");
              assertThat(e.error().message()).contains("europe-west3", "US", org);
            });

    assertThat(location(org)).isEqualTo("US");
    assertThat(recorded(org)).isEqualTo("US");
    CentralRowCounts.assertOnboardedOnce(harness.duck, org, true);
  }

  @Test
  void locationOutsideTheAllowedOnes_failsBeforeAnythingIsCreated_dryRunToo() {
    String org = JobHarness.unique("nowhere");
    for (boolean dryRun : new boolean[] {true, false}) {
      java.util.Map<String, Object> data =
          dev.orgprovisioner.command.MalformedCommands.onboardData(org);
      data.put("dataset_location", "mars-west1");
      data.put("dry_run", dryRun);
      assertThatThrownBy(
              () ->
                  harness.runToSuccess(
                      JobHarness.job(dev.orgprovisioner.command.CommandType.ONBOARD, org, data),
                      new AttemptsStepLog()))
          .isInstanceOfSatisfying(
              JobFailedException.class,
              e -> {
                assertThat(e.error().code()).isEqualTo("DATASET_LOCATION_NOT_ALLOWED");
                assertThat(e.error().message()).contains("mars-west1");
                assertThat(OnboardingPlanner.conflictField(e.error().code()))
                    .isEqualTo("data.dataset_location");
              });
    }
    assertThat(harness.duck.freshSnapshot(org + "_local")).isEmpty();
    assertThat(CentralRowCounts.of(harness.duck, org)).allSatisfy((t, n) -> assertThat(n).isZero());
  }

  @Test
  void onboardingAgainNamingTheSameLocation_converges() {
    String org = JobHarness.unique("same");
    harness.runToSuccess(JobHarness.onboard(org, "US"), new AttemptsStepLog());

    var again = harness.runToSuccess(JobHarness.onboard(org, "us"), new AttemptsStepLog());

    assertThat(JobHarness.data(again)).containsEntry("already_existed", true);
    assertThat(location(org)).isEqualTo("US");
  }

  @Test
  void datasetOutsideItsRecordedLocation_isNonAdditiveDrift_andASyncLeavesItWhereItIs() {
    String org = JobHarness.unique("astray");
    harness.runToSuccess(JobHarness.onboard(org, null), new AttemptsStepLog());
    harness.duck.execute(
        "UPDATE organizations.org_profiles SET dataset_location = 'US' WHERE org_slug = '"
            + org
            + "'");

    var status = harness.service.orgStatus(OrgSlug.parse(org));

    assertThat(status.status()).isEqualTo(SyncStatus.OUT_OF_SYNC);
    assertThat(status.drift().nonAdditive())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.kind()).isEqualTo(DifferenceKind.DATASET_LOCATION_CHANGED);
              assertThat(d.classification()).isEqualTo(Classification.NON_ADDITIVE);
              assertThat(d.expected()).isEqualTo("US");
              assertThat(d.observed()).isEqualTo("EU");
            });
    assertThat(status.drift().steps()).isEmpty();
    harness.runToSuccess(JobHarness.sync(org, false), new AttemptsStepLog());
    assertThat(location(org)).isEqualTo("EU");
  }
}
