package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.execution.port.IdempotencyKeys;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.ObservedDataset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An org's way out and back: offboarding turns its access off at once and leaves a durable timer;
 * the timer deletes the dataset (only ours, only while still OFFBOARDING); a restore undoes either.
 */
final class Offboarding {

  static final String OFFBOARDING = "OFFBOARDING";
  static final String OFFBOARDED = "OFFBOARDED";

  /** Whether an org in this status is on its way out (no sync, no drift repair, no changes). */
  static boolean leaving(Object status) {
    return OFFBOARDING.equals(status) || OFFBOARDED.equals(status);
  }

  private static final String FACT_RESTORING = "restoring_offboarding_of";
  private static final String FACT_UNDELETED = "dataset_undeleted";
  private static final String FACT_EXISTED = "dataset_existed";

  private final ProvisioningService service;
  private final CentralRows rows;
  private final OrgAccess access;
  private final AccessGrants grants;
  private final IdempotencyKeys timers;
  private final OffboardingSettings settings;
  private final Clock clock;

  Offboarding(
      ProvisioningService service,
      CentralRows rows,
      AccessGrants grants,
      IdempotencyKeys timers,
      OffboardingSettings settings,
      Clock clock) {
    this.service = service;
    this.rows = rows;
    this.access = new OrgAccess(service.warehouse(), service.centralDataset(), rows);
    this.grants = grants;
    this.timers = timers;
    this.settings = settings;
    this.clock = clock;
  }

  /** Starts offboarding: profile OFFBOARDING, keys and channels off, the deadline queued. */
  JobResult offboard(Job job, Command.Offboard cmd, Map<String, Object> profile, StepLog steps) {
    OrgSlug org = cmd.orgSlug();
    Instant at = JobTimes.changedAt(steps, clock);
    Object status = profile.get("status");
    Instant started = profileInstant(profile, "offboarding_started_at");
    boolean ours = at.equals(started);
    if (OFFBOARDED.equals(status) && !ours) {
      throw failure(
          "ORG_OFFBOARDED",
          "org '" + org + "' is already offboarded (its dataset was deleted); nothing was changed");
    }
    if (OFFBOARDING.equals(status) && !ours) {
      // Another command started it: its schedule stands (a repeat never extends or shortens it).
      return scheduled(org, profile, started, true, List.of(), List.of(), null);
    }
    Duration grace =
        cmd.graceDays() == null ? settings.gracePeriod() : Duration.ofDays(cmd.graceDays());
    Instant deletion = ours ? profileInstant(profile, "deletion_scheduled_at") : at.plus(grace);
    if (!ours) {
      Map<String, Object> update = profileUpdate(org, at);
      update.put("status", OFFBOARDING);
      update.put("status_before_offboarding", String.valueOf(status));
      update.put("offboarding_reason", cmd.reason());
      update.put("offboarding_started_at", at);
      update.put("deletion_scheduled_at", deletion);
      rows.write(List.of(profileRow(update)), steps);
      profile = new LinkedHashMap<>(profile);
      profile.putAll(update);
    }
    List<String> keys = access.deactivateKeys(org, at, steps);
    List<String> channels = access.disableChannels(org, at, steps);
    List<String> grants = this.grants.switchRecorded(org, profile, false, steps);
    queueDeadline(job, org, deletion);
    return scheduled(org, profile, at, false, keys, channels, grants);
  }

  /** The end of the grace period: deletes the dataset if the offboarding still stands. */
  JobResult deadline(Command.OffboardDeadline cmd, StepLog steps) {
    OrgSlug org = cmd.orgSlug();
    Optional<Map<String, Object>> found = service.profile(org);
    if (found.isEmpty()) {
      return cancelled(org, cmd.deletionAt(), "org '" + org + "' has no profile");
    }
    Map<String, Object> profile = found.get();
    Object status = profile.get("status");
    boolean sameSchedule =
        cmd.deletionAt().equals(profileInstant(profile, "deletion_scheduled_at"));
    String dataset = service.settings().orgDataset(org);
    if (OFFBOARDED.equals(status) && sameSchedule) {
      // An earlier attempt got this far: report what it did.
      boolean existed = Boolean.parseBoolean(steps.remember(FACT_EXISTED, "true"));
      return offboarded(org, dataset, existed, profileInstant(profile, "dataset_deleted_at"));
    }
    if (!OFFBOARDING.equals(status) || !sameSchedule) {
      return cancelled(
          org,
          cmd.deletionAt(),
          "the org is " + status + (sameSchedule ? "" : " with another deletion time"));
    }
    if (clock.instant().isBefore(cmd.deletionAt())) {
      throw new JobFailedException(
          ErrorInfo.permanent(
              "DEADLINE_NOT_REACHED",
              "the deletion of org '" + org + "' is due at " + cmd.deletionAt() + ", not before"),
          null,
          null);
    }
    Instant at = JobTimes.changedAt(steps, clock);
    Optional<ObservedDataset> observed = service.warehouse().freshSnapshot(dataset);
    // Fixed at the first attempt: a resumed one finds the dataset it deleted gone.
    boolean existed =
        Boolean.parseBoolean(steps.remember(FACT_EXISTED, String.valueOf(observed.isPresent())));
    if (observed.isPresent()) {
      String owner = observed.get().labels().get(DesiredDataset.MANAGED_BY);
      if (!DesiredDataset.MANAGED_BY_VALUE.equals(owner)) {
        throw failure(
            "DATASET_NOT_MANAGED",
            "dataset "
                + dataset
                + " lacks the label "
                + DesiredDataset.MANAGED_BY
                + "="
                + DesiredDataset.MANAGED_BY_VALUE
                + ": it was not deleted and org '"
                + org
                + "' stays OFFBOARDING");
      }
      steps.checkLease();
      service.warehouse().deleteDataset(dataset);
    }
    grants.retireTenantViews(org, steps);
    Map<String, Object> update = profileUpdate(org, at);
    update.put("status", OFFBOARDED);
    update.put("dataset_deleted_at", at);
    rows.write(List.of(profileRow(update)), steps);
    return offboarded(org, dataset, existed, at);
  }

  /** Undoes an offboarding: undeletes the dataset when it is gone, then access and profile. */
  JobResult restore(Command.Restore cmd, Map<String, Object> profile, StepLog steps) {
    OrgSlug org = cmd.orgSlug();
    Object status = profile.get("status");
    // Fixed at the first attempt: a resumed one finds the profile already restored.
    String restoring =
        steps.remember(
            FACT_RESTORING,
            leaving(status)
                ? String.valueOf(profileInstant(profile, "offboarding_started_at"))
                : "");
    if (restoring.isEmpty()) {
      throw failure(
          "ORG_NOT_OFFBOARDING",
          "org '" + org + "' is " + status + ", not offboarding: there is nothing to restore");
    }
    Instant started = Instant.parse(restoring);
    Instant at = JobTimes.changedAt(steps, clock);
    boolean undeleted = OFFBOARDED.equals(status) && undelete(org, profile, steps);
    undeleted |= Boolean.parseBoolean(steps.remember(FACT_UNDELETED, String.valueOf(undeleted)));
    List<String> keys = access.reactivateKeys(org, started, at, steps);
    List<String> channels = access.enableChannels(org, started, at, steps);
    List<String> grants = this.grants.switchRecorded(org, profile, true, steps);
    String before =
        leaving(status)
            ? Optional.ofNullable(profile.get("status_before_offboarding"))
                .map(String::valueOf)
                .orElse("ACTIVE")
            : String.valueOf(status);
    if (leaving(status)) {
      Map<String, Object> update = profileUpdate(org, at);
      update.put("status", before);
      for (String column :
          List.of(
              "status_before_offboarding",
              "offboarding_reason",
              "offboarding_started_at",
              "deletion_scheduled_at",
              "dataset_deleted_at")) {
        update.put(column, null);
      }
      rows.write(List.of(profileRow(update)), steps);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("org_slug", org.value());
    data.put("status", before);
    data.put("dataset_restored", undeleted);
    data.put("reactivated_key_ids", keys);
    data.put("enabled_channel_ids", channels);
    data.put("restored_grants", grants);
    data.put("restored_at", at.toString());
    return new JobResult("org.restored", data);
  }

  /** Brings the deleted dataset back and re-syncs it; false when it was there already. */
  private boolean undelete(OrgSlug org, Map<String, Object> profile, StepLog steps) {
    String dataset = service.settings().orgDataset(org);
    if (!service.warehouse().datasetExists(dataset)) {
      Instant deleted = profileInstant(profile, "dataset_deleted_at");
      if (deleted != null && clock.instant().isAfter(deleted.plus(settings.restoreWindow()))) {
        throw failure(
            "RESTORE_WINDOW_PASSED",
            "dataset "
                + dataset
                + " was deleted at "
                + deleted
                + ", longer ago than the restore window ("
                + settings.restoreWindow()
                + "); org '"
                + org
                + "' stays OFFBOARDED");
      }
      steps.checkLease();
      service.warehouse().undeleteDataset(dataset);
    }
    // Whatever changed in the catalog meanwhile (and anything the undelete lacks) is applied.
    steps.checkLease();
    service.apply(service.planOrg(org, RecordedDataset.of(profile)), false);
    return true;
  }

  private void queueDeadline(Job job, OrgSlug org, Instant deletion) {
    if (timers == null) {
      throw failure("NOT_SUPPORTED", "this runner has no ledger to queue the deletion's timer in");
    }
    ClaimResult claim =
        timers.claim(
            InternalCommands.offboardDeadline(org, deletion, job.id(), clock.instant()),
            clock.instant());
    if (claim instanceof ClaimResult.Conflict c) {
      throw new IllegalStateException("the deadline's key is taken by job " + c.jobId());
    }
  }

  private JobResult scheduled(
      OrgSlug org,
      Map<String, Object> profile,
      Instant started,
      boolean repeat,
      List<String> keys,
      List<String> channels,
      List<String> removedGrants) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("org_slug", org.value());
    data.put("reason", String.valueOf(profile.get("offboarding_reason")));
    data.put("offboarding_started_at", started.toString());
    data.put("deletion_scheduled_at", profileInstant(profile, "deletion_scheduled_at").toString());
    data.put("already_offboarding", repeat);
    data.put("deactivated_key_ids", keys);
    data.put("disabled_channel_ids", channels);
    if (removedGrants != null) {
      data.put("removed_grants", removedGrants);
    }
    return new JobResult("org.offboarding.scheduled", data);
  }

  private JobResult offboarded(OrgSlug org, String dataset, boolean deleted, Instant at) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("org_slug", org.value());
    data.put("dataset", dataset);
    data.put("dataset_deleted", deleted);
    data.put("deleted_at", at.toString());
    data.put("restorable_until", at.plus(settings.restoreWindow()).toString());
    return new JobResult("org.offboarded", data);
  }

  private static JobResult cancelled(OrgSlug org, Instant deletion, String reason) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("org_slug", org.value());
    data.put("deletion_scheduled_at", deletion.toString());
    data.put("reason", reason + "; nothing was deleted");
    return new JobResult("org.offboard.cancelled", data);
  }

  private static Map<String, Object> profileUpdate(OrgSlug org, Instant at) {
    Map<String, Object> update = new LinkedHashMap<>();
    update.put("org_slug", org.value());
    update.put("updated_at", at);
    return update;
  }

  private static CentralRows.Row profileRow(Map<String, Object> values) {
    return new CentralRows.Row(ProvisioningService.PROFILES_TABLE, List.of("org_slug"), values);
  }

  private static Instant profileInstant(Map<String, Object> profile, String column) {
    Object value = profile.get(column);
    return value == null ? null : CentralRows.instant(value);
  }

  private static JobFailedException failure(String code, String message) {
    return new JobFailedException(ErrorInfo.permanent(code, message), null, null);
  }
}
