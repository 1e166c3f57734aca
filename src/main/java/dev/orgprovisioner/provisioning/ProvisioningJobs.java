package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.command.SubscriptionPlan;
import dev.orgprovisioner.command.ViewOption;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.execution.port.IdempotencyKeys;
import dev.orgprovisioner.execution.port.JobRunner;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.plan.Classification;
import dev.orgprovisioner.plan.Difference;
import dev.orgprovisioner.plan.Plan;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs queued jobs: onboarding, sync and bootstrap, as steps that are each safe to repeat. A
 * resumed job skips the steps its earlier attempt recorded; every row write is keyed and read back,
 * so a repeated step converges instead of appending.
 */
public final class ProvisioningJobs implements JobRunner {

  static final String FACT_PLAN_BEFORE = "plan_before";

  private final ProvisioningService service;
  private final Clock clock;
  private final DriftChecker drift;
  private final CentralRows centralRows;
  private final ApiKeyRotation keys;
  private final OnboardingJob onboarding;
  private final OnboardingPlanner onboardingPlanner;
  private final PlanChange plans;
  private final Offboarding offboarding;
  private final AccessGrants grants;
  private final RolloutDriver rollouts;

  /** Job runner without drift checks and offboarding (those jobs fail as not supported). */
  public ProvisioningJobs(ProvisioningService service, Clock clock) {
    this(service, clock, null);
  }

  /** Job runner without offboarding (it needs the ledger for its timer). */
  public ProvisioningJobs(ProvisioningService service, Clock clock, DriftChecker drift) {
    this(service, clock, drift, null);
  }

  /**
   * @param timers where offboarding queues the job due at the end of its grace period
   */
  public ProvisioningJobs(
      ProvisioningService service, Clock clock, DriftChecker drift, IdempotencyKeys timers) {
    this(service, clock, drift, timers, null);
  }

  /**
   * @param timers where offboarding queues the job due at the end of its grace period
   * @param rollouts drives roll-outs; null: roll-out commands fail as not supported
   */
  public ProvisioningJobs(
      ProvisioningService service,
      Clock clock,
      DriftChecker drift,
      IdempotencyKeys timers,
      RolloutDriver rollouts) {
    this.service = service;
    this.rollouts = rollouts;
    this.clock = clock;
    this.drift = drift;
    this.centralRows =
        new CentralRows(
            service.warehouse(),
            service.centralDataset(),
            service.catalog().central().tables(),
            service.settings());
    this.keys = new ApiKeyRotation(service.warehouse(), service.centralDataset(), centralRows);
    this.onboardingPlanner = new OnboardingPlanner(service, clock);
    this.grants = new AccessGrants(service, centralRows);
    this.onboarding =
        new OnboardingJob(service, clock, centralRows, keys, onboardingPlanner, grants);
    this.plans = new PlanChange(service.warehouse(), service.centralDataset(), centralRows);
    this.offboarding =
        new Offboarding(
            service, centralRows, grants, timers, service.settings().offboarding(), clock);
  }

  @Override
  public String failureEventType(CommandType type) {
    return switch (type) {
      case ONBOARD -> "org.onboarding.failed";
      case SYNC -> "org.sync.failed";
      case BOOTSTRAP -> "central.bootstrap.failed";
      case DRIFT_CHECK -> "drift.check.failed";
      case ROTATE_API_KEY -> "org.api_key.rotation.failed";
      case CHANGE_PLAN -> "org.plan.change.failed";
      case OFFBOARD, OFFBOARD_DEADLINE -> "org.offboard.failed";
      case RESTORE -> "org.restore.failed";
      case ROLLOUT_START, ROLLOUT_RESUME, ROLLOUT_HALT, ROLLOUT_ABORT, ROLLOUT_WAVE_ENDED ->
          "rollout.failed";
    };
  }

  @Override
  public JobResult run(Job job, StepLog steps) {
    Command command = CommandDecoder.commandOf(job.type(), job.data());
    try {
      if (command instanceof Command.Onboard onboard && onboard.dryRun()) {
        // Only the planner, which cannot write: a dry run has no side effect to forget.
        return new JobResult("org.onboarded", onboardingPlanner.preview(onboard, job.id()));
      }
      if (command instanceof Command.Onboard onboard) {
        return onboarding.run(job, onboard, steps);
      }
      if (command instanceof Command.Sync sync) {
        return sync(job, sync, steps);
      }
      if (command instanceof Command.RotateApiKey rotate) {
        return rotateApiKey(job, rotate, steps);
      }
      if (command instanceof Command.ChangePlan change) {
        return changePlan(job, change, steps);
      }
      if (command instanceof Command.Offboard offboard) {
        Map<String, Object> profile = requireProfile(offboard.orgSlug(), "nothing was changed");
        JobResult result = offboarding.offboard(job, offboard, profile, steps);
        writeAudit(job, offboard.orgSlug(), "ORG_OFFBOARDING_STARTED", steps);
        return result;
      }
      if (command instanceof Command.OffboardDeadline deadline) {
        JobResult result = offboarding.deadline(deadline, steps);
        if (result.eventType().equals("org.offboarded")) {
          writeAudit(job, deadline.orgSlug(), "ORG_OFFBOARDED", steps);
        }
        return result;
      }
      if (command instanceof Command.Restore restore) {
        Map<String, Object> profile = requireProfile(restore.orgSlug(), "nothing was restored");
        JobResult result = offboarding.restore(restore, profile, steps);
        writeAudit(job, restore.orgSlug(), "ORG_RESTORED", steps);
        return result;
      }
      if (command instanceof Command.RolloutStart start && rollouts != null) {
        return rollouts.start(job, start, steps);
      }
      if (command instanceof Command.RolloutResume resume && rollouts != null) {
        return rollouts.resume(job, resume, steps);
      }
      if (command instanceof Command.RolloutWaveEnded ended) {
        return new JobResult("rollout.wave.completed", new java.util.TreeMap<>(ended.summary()));
      }
      if (command instanceof Command.RolloutStop stop && rollouts != null) {
        return rollouts.stop(stop, steps);
      }
      if (command instanceof Command.DriftCheck check && drift != null) {
        return new JobResult("drift.check.completed", drift.run(job, check));
      }
      if (command instanceof Command.Bootstrap bootstrap) {
        steps.checkLease();
        SyncResult result = service.bootstrap(bootstrap.dryRun());
        return new JobResult("central.bootstrapped", syncData(null, result));
      }
      throw new JobFailedException(
          ErrorInfo.permanent("NOT_SUPPORTED", job.type().ceType() + " is not handled yet"),
          null,
          null);
    } catch (WarehouseException e) {
      ErrorInfo error =
          e.isTransient()
              ? ErrorInfo.transientError("WAREHOUSE_TRANSIENT", e.getMessage())
              : ErrorInfo.permanent("WAREHOUSE_" + e.kind(), e.getMessage());
      Object details =
          command.org().isPresent() && !e.isTransient() ? describe(command.org().get()) : null;
      throw new JobFailedException(error, details, e);
    }
  }

  private Object describe(OrgSlug org) {
    try {
      return service.describeOrg(org);
    } catch (RuntimeException e) {
      return Map.of("unknown", "could not read the org's state: " + e.getMessage());
    }
  }

  private String central() {
    return service.centralDataset();
  }

  /**
   * Syncs an onboarded org: its dataset at its recorded location, and any central rows it lacks. An
   * org without a profile fails (a dry run reports NOT_FOUND) and nothing is created.
   */
  private JobResult sync(Job job, Command.Sync cmd, StepLog steps) {
    OrgSlug org = cmd.orgSlug();
    Optional<Map<String, Object>> profile = service.profile(org);
    if (profile.isEmpty()) {
      if (cmd.dryRun()) {
        return new JobResult("org.synced", syncData(org, service.previewSync(org)));
      }
      throw new JobFailedException(
          ErrorInfo.permanent(
              "ORG_NOT_FOUND",
              "org '"
                  + org
                  + "' was never onboarded (no profile in "
                  + central()
                  + "."
                  + ProvisioningService.PROFILES_TABLE
                  + "); nothing was created"),
          null,
          null);
    }
    requireStaying(org, profile.get(), "nothing was synced");
    grants.requireAllowed(org, profile.get().get("admin_email"), cmd.access());
    Plan plan =
        service.planOrg(org, RecordedDataset.of(profile.get()), cmd.views() == ViewOption.RECREATE);
    Set<String> tables = cmd.tables().stream().map(String::toLowerCase).collect(Collectors.toSet());
    List<PlanStep> chosen =
        plan.steps().stream()
            .filter(
                s ->
                    cmd.columns()
                        || !(s instanceof PlanStep.AddColumns
                            || s instanceof PlanStep.RelaxColumns))
            .filter(
                s -> cmd.views() != ViewOption.SKIP || !(s instanceof PlanStep.CreateOrReplaceView))
            .filter(s -> tables.isEmpty() || concernsTables(s, tables))
            .toList();
    List<Difference> nonAdditive = plan.differences(Classification.NON_ADDITIVE);
    if (cmd.failOnNonAdditiveDrift() && !nonAdditive.isEmpty()) {
      throw new JobFailedException(
          ErrorInfo.permanent(
              "NON_ADDITIVE_DRIFT",
              "org '"
                  + org
                  + "' has "
                  + nonAdditive.size()
                  + " difference(s) an additive sync cannot repair; nothing was applied"),
          PlanReport.of(plan).nonAdditive(),
          null);
    }
    if (!cmd.dryRun()) {
      steps.checkLease();
    }
    SyncResult result = service.apply(plan, chosen, cmd.dryRun());
    Map<String, Object> data = syncData(org, result);
    if (cmd.views() == ViewOption.RECREATE) {
      // Forced: each view is replaced whether or not the drift report names it.
      data.put(
          "views_recreated",
          chosen.stream()
              .filter(s -> s instanceof PlanStep.CreateOrReplaceView)
              .map(s -> ((PlanStep.CreateOrReplaceView) s).view().name())
              .toList());
    }
    if (!cmd.dryRun()) {
      AccessGrants.Outcome access = grants.converge(org, profile.get(), cmd.access(), steps);
      data.put("access_granted", access.granted());
      data.put("access_revoked", access.revoked());
      if (access.tenantViews() != null) {
        data.put("tenant_views", access.tenantViews().eventData());
      }
      List<CentralRows.Row> completed =
          centralRows.completeMissing(org.value(), centralRows.derivedFrom(profile.get()), steps);
      if (!completed.isEmpty()) {
        writeAudit(job, org, "ORG_CENTRAL_ROWS_COMPLETED", steps);
      }
      data.put(
          "central_rows_completed", completed.stream().map(CentralRows.Row::describe).toList());
    }
    return new JobResult("org.synced", data);
  }

  /** Moves an onboarded org to another plan; an org without a profile fails, nothing written. */
  private JobResult changePlan(Job job, Command.ChangePlan cmd, StepLog steps) {
    OrgSlug org = cmd.orgSlug();
    Map<String, Object> profile = requireProfile(org, "no plan was changed");
    requireStaying(org, profile, "no plan was changed");
    // Fixed at the first attempt: a resumed one finds the new plan already in the profile.
    SubscriptionPlan before =
        SubscriptionPlan.valueOf(
            steps.remember(FACT_PLAN_BEFORE, String.valueOf(profile.get("subscription_plan"))));
    PlanChange.Outcome outcome =
        plans.change(org, profile, before, cmd.plan(), JobTimes.changedAt(steps, clock), steps);
    writeAudit(job, org, "ORG_PLAN_CHANGED", steps);
    return new JobResult("org.plan.changed", outcome.eventData(org));
  }

  private Map<String, Object> requireProfile(OrgSlug org, String nothingDone) {
    return service
        .profile(org)
        .orElseThrow(
            () ->
                new JobFailedException(
                    ErrorInfo.permanent(
                        "ORG_NOT_FOUND",
                        "org '" + org + "' was never onboarded (no profile); " + nothingDone),
                    null,
                    null));
  }

  /** Refuses to change an org that is being offboarded: a restore must come first. */
  static void requireStaying(OrgSlug org, Map<String, Object> profile, String nothingDone) {
    Object status = profile.get("status");
    if (Offboarding.leaving(status)) {
      throw new JobFailedException(
          ErrorInfo.permanent(
              "ORG_" + status,
              "org '"
                  + org
                  + "' is "
                  + status
                  + "; "
                  + nothingDone
                  + " (org.restore.requested brings it back first)"),
          null,
          null);
    }
  }

  /** The job's audit entry, at its time fixed by the first attempt that writes it. */
  private void writeAudit(Job job, OrgSlug org, String action, StepLog steps) {
    centralRows.write(
        List.of(
            centralRows.audit(
                org.value(), job.id(), job.commandId(), action, JobTimes.auditedAt(steps, clock))),
        steps);
  }

  /** Rotates an onboarded org's API key; an org without a profile fails and nothing is written. */
  private JobResult rotateApiKey(Job job, Command.RotateApiKey cmd, StepLog steps) {
    OrgSlug org = cmd.orgSlug();
    requireStaying(org, requireProfile(org, "no key was written"), "no key was written");
    ApiKeyRotation.Outcome outcome =
        keys.rotate(
            org, cmd.apiKeySha256(), cmd.revokePrevious(), JobTimes.changedAt(steps, clock), steps);
    writeAudit(job, org, "ORG_API_KEY_ROTATED", steps);
    return new JobResult("org.api_key.rotated", outcome.eventData(org));
  }

  private static boolean concernsTables(PlanStep step, Set<String> tables) {
    String table =
        step instanceof PlanStep.CreateTable s
            ? s.table().name()
            : step instanceof PlanStep.AddColumns s
                ? s.table()
                : step instanceof PlanStep.RelaxColumns s
                    ? s.table()
                    : step instanceof PlanStep.UpdateTableOptions s ? s.table().name() : null;
    // Dataset-level steps are needed by any table; views are not table steps.
    return table == null
        ? step instanceof PlanStep.CreateDataset || step instanceof PlanStep.UpdateDataset
        : tables.contains(table.toLowerCase());
  }

  private static Map<String, Object> syncData(OrgSlug org, SyncResult result) {
    Map<String, Object> data = new LinkedHashMap<>();
    if (org != null) {
      data.put("org_slug", org.value());
    }
    data.put("dataset", result.plan().dataset());
    data.put("dry_run", result.dryRun());
    data.put("applied", result.applied());
    data.put("plan", result.plan());
    return data;
  }
}
