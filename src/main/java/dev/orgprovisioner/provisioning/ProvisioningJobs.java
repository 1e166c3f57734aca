package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.execution.port.JobRunner;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.plan.Plan;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs queued jobs: onboarding, sync and bootstrap, as steps that are each safe to repeat. A
 * resumed job skips the steps its earlier attempt recorded; every row write is keyed, so a repeated
 * write replaces rather than appends.
 */
public final class ProvisioningJobs implements JobRunner {

  static final String STEP_DATASET = "provision-dataset";
  static final String STEP_ROWS = "central-rows";

  private final ProvisioningService service;
  private final Clock clock;
  private final DriftChecker drift;

  /** Job runner without drift checks (those jobs fail as not supported). */
  public ProvisioningJobs(ProvisioningService service, Clock clock) {
    this(service, clock, null);
  }

  public ProvisioningJobs(ProvisioningService service, Clock clock, DriftChecker drift) {
    this.service = service;
    this.clock = clock;
    this.drift = drift;
  }

  @Override
  public String failureEventType(CommandType type) {
    return switch (type) {
      case ONBOARD -> "org.onboarding.failed";
      case SYNC -> "org.sync.failed";
      case BOOTSTRAP -> "central.bootstrap.failed";
      case DRIFT_CHECK -> "drift.check.failed";
    };
  }

  @Override
  public JobResult run(Job job, StepLog steps) {
    Command command = CommandDecoder.commandOf(job.type(), job.data());
    try {
      if (command instanceof Command.Onboard onboard) {
        return onboard(job, onboard, steps);
      }
      if (command instanceof Command.Sync sync) {
        return sync(sync);
      }
      if (command instanceof Command.DriftCheck check && drift != null) {
        return new JobResult("drift.check.completed", drift.run(job, check));
      }
      if (command instanceof Command.Bootstrap bootstrap) {
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

  private JobResult onboard(Job job, Command.Onboard cmd, StepLog steps) {
    OrgSlug org = cmd.orgSlug();
    String central = service.centralDataset();
    if (service.warehouse().snapshot(central).isEmpty()) {
      // The central dataset is part of the platform, not of this org: create it on first use.
      service.bootstrap(false);
    }
    List<Map<String, Object>> existing =
        service
            .warehouse()
            .selectRows(
                central, ProvisioningService.PROFILES_TABLE, Map.of("org_slug", org.value()), 1);
    boolean alreadyExisted = !existing.isEmpty() && !steps.isDone(STEP_ROWS);
    if (!existing.isEmpty()) {
      Map<String, Object> profile = existing.get(0);
      if (!Objects.equals(profile.get("company_name"), cmd.companyName())
          || !Objects.equals(profile.get("admin_email"), cmd.adminEmail())) {
        throw new JobFailedException(
            ErrorInfo.permanent(
                "ORG_EXISTS",
                "org '"
                    + org
                    + "' already exists with a different company name or admin e-mail; nothing"
                    + " was changed"),
            null,
            null);
      }
    }
    Map<String, Object> created = new LinkedHashMap<>();
    if (!steps.isDone(STEP_DATASET)) {
      Plan plan = service.planOrg(org, cmd.datasetLocation());
      SyncResult result = service.apply(plan, false);
      created.put(
          "dataset_created",
          plan.steps().stream().anyMatch(s -> s instanceof PlanStep.CreateDataset));
      created.put("tables_created", names(plan, PlanStep.CreateTable.class));
      created.put("views_created", names(plan, PlanStep.CreateOrReplaceView.class));
      created.put("steps_applied", result.applied().size());
      steps.completed(STEP_DATASET);
    }
    if (!steps.isDone(STEP_ROWS)) {
      writeCentralRows(job, cmd, alreadyExisted);
      steps.completed(STEP_ROWS);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("org_slug", org.value());
    data.put("dataset", service.settings().orgDataset(org));
    data.put("already_existed", alreadyExisted);
    data.put("subscription_plan", cmd.subscriptionPlan().name());
    data.put("created", created);
    data.put("status", service.orgStatus(org).status().name());
    return new JobResult("org.onboarded", data);
  }

  private static List<String> names(Plan plan, Class<? extends PlanStep> kind) {
    return plan.steps().stream()
        .filter(kind::isInstance)
        .map(
            s ->
                s instanceof PlanStep.CreateTable t
                    ? t.table().name()
                    : ((PlanStep.CreateOrReplaceView) s).view().name())
        .toList();
  }

  private void writeCentralRows(Job job, Command.Onboard cmd, boolean alreadyExisted) {
    String central = service.centralDataset();
    String org = cmd.orgSlug().value();
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    var plan = cmd.subscriptionPlan();
    var warehouse = service.warehouse();
    if (!alreadyExisted) {
      Map<String, Object> profile = new LinkedHashMap<>();
      profile.put("org_slug", org);
      profile.put("company_name", cmd.companyName());
      profile.put("admin_email", cmd.adminEmail());
      profile.put("org_dataset_id", service.settings().orgDataset(cmd.orgSlug()));
      profile.put("status", "ACTIVE");
      profile.put("subscription_plan", plan.name());
      profile.put("default_currency", cmd.defaultCurrency());
      profile.put("default_timezone", cmd.defaultTimezone());
      profile.put("created_at", now);
      profile.put("updated_at", now);
      warehouse.upsertRows(central, "org_profiles", List.of("org_slug"), List.of(profile));

      Map<String, Object> subscription = new LinkedHashMap<>();
      subscription.put("subscription_id", org + "_subscription");
      subscription.put("org_slug", org);
      subscription.put("plan_name", plan.name());
      subscription.put("status", "TRIAL");
      subscription.put("daily_limit", (long) plan.dailyLimit());
      subscription.put("monthly_limit", (long) plan.monthlyLimit());
      subscription.put("concurrent_limit", (long) plan.concurrentLimit());
      subscription.put("seat_limit", (long) plan.seatLimit());
      subscription.put("providers_limit", (long) plan.providersLimit());
      subscription.put("trial_end_date", today.plusDays(14));
      subscription.put("created_at", now);
      subscription.put("updated_at", now);
      warehouse.upsertRows(
          central, "org_subscriptions", List.of("subscription_id"), List.of(subscription));

      Map<String, Object> quota = new LinkedHashMap<>();
      quota.put("usage_id", org + "_" + today);
      quota.put("org_slug", org);
      quota.put("usage_date", today);
      quota.put("pipelines_run_today", 0L);
      quota.put("pipelines_succeeded_today", 0L);
      quota.put("pipelines_failed_today", 0L);
      quota.put("pipelines_run_month", 0L);
      quota.put("concurrent_pipelines_running", 0L);
      quota.put("daily_limit", (long) plan.dailyLimit());
      quota.put("monthly_limit", (long) plan.monthlyLimit());
      quota.put("concurrent_limit", (long) plan.concurrentLimit());
      quota.put("seat_limit", (long) plan.seatLimit());
      quota.put("providers_limit", (long) plan.providersLimit());
      quota.put("last_updated", now);
      quota.put("created_at", now);
      warehouse.upsertRows(central, "org_usage_quotas", List.of("usage_id"), List.of(quota));

      if (cmd.apiKeySha256() != null) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("org_api_key_id", org + "_" + cmd.apiKeySha256().substring(0, 12));
        key.put("org_slug", org);
        key.put("org_api_key_hash", cmd.apiKeySha256());
        key.put("is_active", true);
        key.put("created_at", now);
        warehouse.upsertRows(central, "org_api_keys", List.of("org_api_key_id"), List.of(key));
      }

      List<Map<String, Object>> levels = new ArrayList<>();
      String[][] defaults = {
        {"department", "Department", "Departments", "DEPT"},
        {"project", "Project", "Projects", "PROJ"},
        {"team", "Team", "Teams", "TEAM"}
      };
      for (int i = 0; i < defaults.length; i++) {
        Map<String, Object> level = new LinkedHashMap<>();
        level.put("id", org + "_level_" + (i + 1));
        level.put("org_slug", org);
        level.put("level", (long) (i + 1));
        level.put("level_code", defaults[i][0]);
        level.put("level_name", defaults[i][1]);
        level.put("level_name_plural", defaults[i][2]);
        level.put("parent_level", i == 0 ? null : (long) i);
        level.put("is_required", i == 0);
        level.put("is_leaf", i == defaults.length - 1);
        level.put("id_prefix", defaults[i][3]);
        level.put("id_auto_generate", true);
        level.put("display_order", (long) (i + 1));
        level.put("is_active", true);
        level.put("created_at", now);
        level.put("created_by", "org-provisioner");
        levels.add(level);
      }
      warehouse.upsertRows(central, "org_hierarchy_levels", List.of("id"), levels);
    }

    Map<String, Object> audit = new LinkedHashMap<>();
    audit.put("audit_id", "job_" + job.id());
    audit.put("org_slug", org);
    audit.put("action", alreadyExisted ? "ORG_ONBOARD_CONVERGED" : "ORG_ONBOARDED");
    audit.put("resource_type", "ORGANIZATION");
    audit.put("resource_id", org);
    audit.put("request_id", job.commandId());
    audit.put("status", "SUCCESS");
    audit.put("created_at", now);
    warehouse.upsertRows(central, "org_audit_logs", List.of("audit_id"), List.of(audit));
  }

  private JobResult sync(Command.Sync cmd) {
    OrgSlug org = cmd.orgSlug();
    Plan plan = service.planOrg(org);
    Set<String> tables = cmd.tables().stream().map(String::toLowerCase).collect(Collectors.toSet());
    List<PlanStep> chosen =
        plan.steps().stream()
            .filter(
                s ->
                    cmd.columns()
                        || !(s instanceof PlanStep.AddColumns
                            || s instanceof PlanStep.RelaxColumns))
            .filter(s -> cmd.views() || !(s instanceof PlanStep.CreateOrReplaceView))
            .filter(s -> tables.isEmpty() || concernsTables(s, tables))
            .toList();
    SyncResult result = service.apply(plan, chosen, cmd.dryRun());
    return new JobResult("org.synced", syncData(org, result));
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
