package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.EventSchemas;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Offboarding, its deadline and restore, run as the workers run them: access off at once, the
 * deletion a queued job due at the end of the grace period, everything undone by a restore before
 * or after the deletion.
 */
class OffboardingJobTest {

  private static final String CENTRAL = "organizations";
  private static final String OTHER_KEY = "cd".repeat(32);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final JobHarness harness =
      new JobHarness(new ProvisioningSettings(Environment.LOCAL, "EU"), clock);

  @AfterEach
  void close() {
    harness.close();
  }

  /** An onboarded org with an active key, a revoked key and an enabled notification channel. */
  private String onboarded() {
    String org = JobHarness.unique("leaving");
    harness.runToSuccess(JobHarness.onboard(org, null), new AttemptsStepLog());
    harness.runToSuccess(JobHarness.rotateKey(org, OTHER_KEY, true), new AttemptsStepLog());
    clock.advance(Duration.ofMinutes(1));
    Map<String, Object> channel = new HashMap<>();
    channel.put("channel_id", org + "_mail");
    channel.put("org_slug", org);
    channel.put("channel_type", "email");
    channel.put("name", "Finance");
    channel.put("is_active", true);
    channel.put("created_at", clock.instant());
    harness.duck.insertRows(CENTRAL, OrgAccess.CHANNELS, List.of(channel));
    return org;
  }

  private Map<String, Object> profile(String org) {
    return harness.service.profile(dev.orgprovisioner.command.OrgSlug.parse(org)).orElseThrow();
  }

  private Map<String, Boolean> keys(String org) {
    Map<String, Boolean> active = new HashMap<>();
    harness
        .duck
        .selectRows(CENTRAL, "org_api_keys", Map.of("org_slug", org), 100)
        .forEach(
            k -> active.put(String.valueOf(k.get("org_api_key_id")), (Boolean) k.get("is_active")));
    return active;
  }

  private boolean channelActive(String org) {
    return Boolean.TRUE.equals(
        harness
            .duck
            .selectRows(CENTRAL, OrgAccess.CHANNELS, Map.of("org_slug", org), 1)
            .get(0)
            .get("is_active"));
  }

  private boolean datasetExists(String org) {
    return harness.duck.freshSnapshot(org + "_local").isPresent();
  }

  /** The deadline job the offboarding queued, as a worker would claim and run it. */
  private Job deadline(String org) {
    List<Job> timers =
        LedgerFixtures.allJobs(harness.ledger, JobState.QUEUED, org).stream()
            .filter(j -> j.type() == CommandType.OFFBOARD_DEADLINE)
            .toList();
    assertThat(timers).hasSize(1);
    return timers.get(0);
  }

  private JobResult run(Job job) {
    return harness.runToSuccess(job, new AttemptsStepLog());
  }

  private static void assertValid(JobResult result) {
    assertThat(EventSchemas.violations(result.eventType(), EventFactory.json(result.data())))
        .isEmpty();
  }

  @Test
  void offboarding_turnsAccessOffAtOnce_andQueuesTheDeletionForTheEndOfTheGracePeriod() {
    String org = onboarded();
    Map<String, Boolean> before = keys(org);

    JobResult result = run(JobHarness.offboard(org, "contract ended", 10));

    assertThat(result.eventType()).isEqualTo("org.offboarding.scheduled");
    assertValid(result);
    Instant deletion = clock.instant().plus(Duration.ofDays(10));
    assertThat(JobHarness.data(result))
        .containsEntry("reason", "contract ended")
        .containsEntry("deletion_scheduled_at", deletion.toString())
        .containsEntry("already_offboarding", false)
        .containsEntry("disabled_channel_ids", List.of(org + "_mail"));
    assertThat(profile(org))
        .containsEntry("status", "OFFBOARDING")
        .containsEntry("status_before_offboarding", "ACTIVE")
        .containsEntry("offboarding_reason", "contract ended");
    assertThat(keys(org)).hasSize(2).doesNotContainValue(true);
    assertThat(channelActive(org)).isFalse();
    assertThat(datasetExists(org)).as("the dataset stays during the grace period").isTrue();
    Job timer = deadline(org);
    assertThat(timer.nextAttemptAt()).isEqualTo(deletion);
    assertThat(harness.ledger.claimable(clock.instant(), 100)).doesNotContain(timer);
    assertThat(harness.ledger.claimable(deletion, 100)).contains(timer);
    assertThat(before.values()).containsExactlyInAnyOrder(true, false);
  }

  @Test
  void deadline_deletesTheDataset_andTheOrgIsOffboarded_andARepeatReportsTheSame() {
    String org = onboarded();
    run(JobHarness.offboard(org, "contract ended", 1));
    clock.advance(Duration.ofDays(1));
    Job timer = JobHarness.running(deadline(org));

    JobResult result = run(timer);

    assertThat(result.eventType()).isEqualTo("org.offboarded");
    assertValid(result);
    assertThat(JobHarness.data(result)).containsEntry("dataset_deleted", true);
    assertThat(datasetExists(org)).isFalse();
    assertThat(profile(org)).containsEntry("status", "OFFBOARDED");
    assertThat(JobHarness.data(run(timer))).isEqualTo(JobHarness.data(result));
  }

  @Test
  void restoreBeforeTheDeadline_revertsEverything_andTheDeadlineThenDeletesNothing() {
    String org = onboarded();
    Map<String, Boolean> before = keys(org);
    run(JobHarness.offboard(org, "contract ended", 3));
    Job timer = JobHarness.running(deadline(org));
    clock.advance(Duration.ofDays(1));

    JobResult restored = run(JobHarness.restore(org));

    assertThat(restored.eventType()).isEqualTo("org.restored");
    assertValid(restored);
    assertThat(JobHarness.data(restored))
        .containsEntry("status", "ACTIVE")
        .containsEntry("dataset_restored", false);
    assertThat(keys(org)).as("the key revoked before stays revoked").isEqualTo(before);
    assertThat(channelActive(org)).isTrue();
    assertThat(profile(org))
        .containsEntry("status", "ACTIVE")
        .containsEntry("deletion_scheduled_at", null);

    clock.advance(Duration.ofDays(2));
    JobResult fired = run(timer);
    assertThat(fired.eventType()).isEqualTo("org.offboard.cancelled");
    assertValid(fired);
    assertThat(datasetExists(org)).isTrue();
  }

  @Test
  void restoreAfterTheDeletion_undeletesTheDatasetWithItsRows_withinTheWindow() {
    String org = onboarded();
    harness.duck.execute(
        "INSERT INTO "
            + org
            + "_local.genai_commitment_pricing (org_slug, provider, commitment_type, model, region,"
            + " created_at) VALUES ('"
            + org
            + "', 'p', 'c', 'm', 'r', now())");
    run(JobHarness.offboard(org, "contract ended", 0));
    run(JobHarness.running(deadline(org)));
    clock.advance(Duration.ofDays(6));

    JobResult restored = run(JobHarness.restore(org));

    assertThat(JobHarness.data(restored)).containsEntry("dataset_restored", true);
    assertThat(datasetExists(org)).isTrue();
    assertThat(harness.duck.selectRows(org + "_local", "genai_commitment_pricing", Map.of(), 10))
        .hasSize(1);
    assertThat(profile(org)).containsEntry("status", "ACTIVE");
    assertThat(channelActive(org)).isTrue();
  }

  @Test
  void restoreAfterTheWindow_fails_andTheOrgStaysOffboarded() {
    String org = onboarded();
    run(JobHarness.offboard(org, "contract ended", 0));
    run(JobHarness.running(deadline(org)));
    clock.advance(Duration.ofDays(8));

    assertThatThrownBy(() -> run(JobHarness.restore(org)))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> assertThat(e.error().code()).isEqualTo("RESTORE_WINDOW_PASSED"));
    assertThat(profile(org)).containsEntry("status", "OFFBOARDED");
    assertThat(datasetExists(org)).isFalse();
  }

  /** Gives the org's group a grant it records, beside an entry someone else manages. */
  private AccessEntry[] granted(String org) {
    AccessEntry analysts = AccessEntry.parse("group:analysts@example.com", AccessEntry.Role.READER);
    AccessEntry foreign = AccessEntry.parse("user:tf@platform.example", AccessEntry.Role.WRITER);
    harness.duck.changeAccess(org + "_local", List.of(analysts, foreign), List.of());
    harness.duck.upsertRows(
        CENTRAL,
        "org_profiles",
        List.of("org_slug"),
        List.of(
            Map.of("org_slug", org, AccessGrants.COLUMN, AccessGrants.json(List.of(analysts)))));
    return new AccessEntry[] {analysts, foreign};
  }

  @Test
  void grants_areRemovedAtOnce_andGivenBackByARestore_andOthersEntriesStay() {
    String org = onboarded();
    AccessEntry[] entries = granted(org);

    JobResult off = run(JobHarness.offboard(org, "contract ended", 5));

    assertValid(off);
    assertThat(JobHarness.data(off))
        .containsEntry("removed_grants", List.of("group:analysts@example.com"));
    assertThat(harness.duck.accessEntries(org + "_local")).containsExactly(entries[1]);

    JobResult back = run(JobHarness.restore(org));

    assertValid(back);
    assertThat(JobHarness.data(back))
        .containsEntry("restored_grants", List.of("group:analysts@example.com"));
    assertThat(harness.duck.accessEntries(org + "_local")).containsExactlyInAnyOrder(entries);
  }

  @Test
  void grants_areGivenBack_whenTheDatasetIsRestoredAfterItsDeletion() {
    String org = onboarded();
    AccessEntry[] entries = granted(org);
    run(JobHarness.offboard(org, "contract ended", 0));
    run(JobHarness.running(deadline(org)));

    run(JobHarness.restore(org));

    assertThat(harness.duck.accessEntries(org + "_local")).containsExactlyInAnyOrder(entries);
  }

  @Test
  void secondOffboarding_keepsTheFirstSchedule() {
    String org = onboarded();
    JobResult first = run(JobHarness.offboard(org, "contract ended", 10));
    clock.advance(Duration.ofHours(1));

    JobResult second = run(JobHarness.offboard(org, "changed our mind: sooner", 1));

    assertThat(JobHarness.data(second))
        .containsEntry("already_offboarding", true)
        .containsEntry("reason", "contract ended")
        .containsEntry(
            "deletion_scheduled_at", JobHarness.data(first).get("deletion_scheduled_at"));
    assertThat(
            LedgerFixtures.allJobs(harness.ledger, JobState.QUEUED, org).stream()
                .filter(j -> j.type() == CommandType.OFFBOARD_DEADLINE))
        .hasSize(1);
  }

  @Test
  void offboardingDyingAtAnyPoint_convergesToTheSameOutcome() {
    for (int dieAt = 1; dieAt <= 12; dieAt++) {
      String org = onboarded();
      Job job = JobHarness.offboard(org, "contract ended", 5);
      AttemptsStepLog steps = new AttemptsStepLog();
      try {
        harness.run(job, steps.nextAttempt(dieAt));
      } catch (StepLog.LeaseLostException e) {
        // the worker died here; the next attempt resumes
      }
      clock.advance(Duration.ofMinutes(1));
      JobResult result = harness.runToSuccess(job, steps);

      assertThat(result.eventType())
          .as("died at check %d", dieAt)
          .isEqualTo("org.offboarding.scheduled");
      assertThat(JobHarness.data(result))
          .as("died at check %d", dieAt)
          .containsEntry("already_offboarding", false)
          .containsEntry("disabled_channel_ids", List.of(org + "_mail"));
      assertThat(keys(org)).doesNotContainValue(true);
      assertThat(channelActive(org)).isFalse();
      assertThat(profile(org)).containsEntry("status", "OFFBOARDING");
      assertThat(deadline(org).nextAttemptAt())
          .isEqualTo(Instant.parse((String) JobHarness.data(result).get("deletion_scheduled_at")));
    }
  }

  @Test
  void restoreAfterDeletionDyingAtAnyPoint_convergesToTheSameOutcome() {
    for (int dieAt = 1; dieAt <= 10; dieAt++) {
      String org = onboarded();
      run(JobHarness.offboard(org, "contract ended", 0));
      run(JobHarness.running(deadline(org)));
      Job restore = JobHarness.restore(org);
      AttemptsStepLog steps = new AttemptsStepLog();
      try {
        harness.run(restore, steps.nextAttempt(dieAt));
      } catch (StepLog.LeaseLostException e) {
        // the worker died here; the next attempt resumes
      }
      JobResult result = harness.runToSuccess(restore, steps);

      assertThat(JobHarness.data(result))
          .as("died at check %d", dieAt)
          .containsEntry("dataset_restored", true)
          .containsEntry("status", "ACTIVE")
          .containsEntry("enabled_channel_ids", List.of(org + "_mail"));
      assertThat(datasetExists(org)).isTrue();
      assertThat(keys(org)).containsValue(true);
    }
  }

  @Test
  void anOrgBeingOffboarded_refusesSyncKeyRotationPlanChangeAndOnboarding() {
    String org = onboarded();
    run(JobHarness.offboard(org, "contract ended", 10));

    for (Job job :
        List.of(
            JobHarness.sync(org, false),
            JobHarness.rotateKey(org, "ef".repeat(32), true),
            JobHarness.changePlan(org, "SCALE"),
            JobHarness.onboard(org, null))) {
      assertThatThrownBy(() -> run(job))
          .as(job.type().ceType())
          .isInstanceOfSatisfying(
              JobFailedException.class,
              e -> {
                assertThat(e.error().code()).isEqualTo("ORG_OFFBOARDING");
                assertThat(e.error().message()).contains("org.restore.requested");
              });
    }
  }

  @Test
  void deadline_neverDeletesADatasetWithoutOurLabel() {
    String org = onboarded();
    run(JobHarness.offboard(org, "contract ended", 0));
    harness.duck.execute(
        "UPDATE " + org + "_local._provisioner.object_meta SET labels = '{}' WHERE name = ''");

    assertThatThrownBy(() -> run(JobHarness.running(deadline(org))))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> assertThat(e.error().code()).isEqualTo("DATASET_NOT_MANAGED"));
    assertThat(datasetExists(org)).isTrue();
    assertThat(profile(org)).containsEntry("status", "OFFBOARDING");
  }

  @Test
  void restoringAnActiveOrg_fails_andUnknownOrgsAreNotFound() {
    String org = onboarded();
    assertThatThrownBy(() -> run(JobHarness.restore(org)))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> assertThat(e.error().code()).isEqualTo("ORG_NOT_OFFBOARDING"));
    assertThatThrownBy(() -> run(JobHarness.offboard("nobody_here", "x", 1)))
        .isInstanceOfSatisfying(
            JobFailedException.class, e -> assertThat(e.error().code()).isEqualTo("ORG_NOT_FOUND"));
  }
}
