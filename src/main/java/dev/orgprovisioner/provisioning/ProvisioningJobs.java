package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.catalog.DatasetSettings;
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
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.Plan;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs queued jobs: onboarding, sync and bootstrap, as steps that are each safe to repeat. A
 * resumed job skips the steps its earlier attempt recorded; every row write is keyed and read back,
 * so a repeated step converges instead of appending.
 */
public final class ProvisioningJobs implements JobRunner {

  static final String STEP_DATASET = "provision-dataset";
  static final String STEP_ROWS = "central-rows";
  static final String FACT_EXISTED = "already_existed";
  static final String FACT_LOCATION = "dataset_location";
  static final String FACT_AT = "onboarded_at";
  // The job's audit entry is keyed by job and partitioned by its time: every attempt must write the
  // same time, or an attempt after midnight would add a second entry instead of replacing it.
  static final String FACT_AUDITED_AT = "audited_at";

  private final ProvisioningService service;
  private final Clock clock;
  private final DriftChecker drift;
  private final CentralRows centralRows;

  /** Job runner without drift checks (those jobs fail as not supported). */
  public ProvisioningJobs(ProvisioningService service, Clock clock) {
    this(service, clock, null);
  }

  public ProvisioningJobs(ProvisioningService service, Clock clock, DriftChecker drift) {
    this.service = service;
    this.clock = clock;
    this.drift = drift;
    this.centralRows =
        new CentralRows(
            service.warehouse(),
            service.centralDataset(),
            service.catalog().central().tables(),
            service.settings());
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
        return sync(job, sync, steps);
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

  private JobResult onboard(Job job, Command.Onboard cmd, StepLog steps) {
    OrgSlug org = cmd.orgSlug();
    if (!steps.isDone(STEP_DATASET) && service.warehouse().freshSnapshot(central()).isEmpty()) {
      // The central dataset is part of the platform, not of this org: create it on first use.
      steps.checkLease();
      service.bootstrap(false);
    }
    Optional<Map<String, Object>> profile = service.profile(org);
    // Decided once, at the first attempt: a retry sees the profile its predecessor wrote.
    boolean alreadyExisted =
        Boolean.parseBoolean(steps.remember(FACT_EXISTED, String.valueOf(profile.isPresent())));
    if (profile.isPresent()) {
      requireSameProfile(cmd, profile.get());
    }
    DatasetSettings chosen =
        OnboardingSettings.chosen(org, cmd.datasetSettings(), profile.map(RecordedDataset::of));
    Map<String, Object> created = new LinkedHashMap<>();
    String location;
    if (!steps.isDone(STEP_DATASET)) {
      Optional<ObservedDataset> observed =
          service.warehouse().freshSnapshot(service.settings().orgDataset(org));
      location =
          steps.remember(
              FACT_LOCATION,
              Residency.locationFor(
                  org,
                  cmd.datasetLocation(),
                  profile.map(ProvisioningService::recordedLocation).orElse(null),
                  observed.map(ObservedDataset::location).orElse(null),
                  service.settings().defaultLocation()));
      Plan plan = service.planOrg(org, new RecordedDataset(location, chosen), observed);
      steps.checkLease();
      SyncResult result = service.apply(plan, false);
      created.put(
          "dataset_created",
          plan.steps().stream().anyMatch(s -> s instanceof PlanStep.CreateDataset));
      created.put("tables_created", names(plan, PlanStep.CreateTable.class));
      created.put("views_created", names(plan, PlanStep.CreateOrReplaceView.class));
      created.put("steps_applied", result.applied().size());
      steps.completed(STEP_DATASET);
    } else {
      location =
          steps
              .fact(FACT_LOCATION)
              .orElseGet(
                  () ->
                      profile
                          .map(ProvisioningService::recordedLocation)
                          .orElse(service.settings().defaultLocation()));
    }
    if (!steps.isDone(STEP_ROWS)) {
      Instant at =
          Instant.parse(
              steps.remember(
                  FACT_AT,
                  profile
                      .map(p -> CentralRows.instant(p.get("created_at")))
                      .orElse(clock.instant())
                      .toString()));
      List<CentralRows.Row> written =
          writeOnboardingRows(job, cmd, alreadyExisted, profile, location, at, steps);
      created.put("central_rows", written.stream().map(CentralRows.Row::describe).toList());
      steps.completed(STEP_ROWS);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("org_slug", org.value());
    data.put("dataset", service.settings().orgDataset(org));
    data.put("already_existed", alreadyExisted);
    data.put("subscription_plan", cmd.subscriptionPlan().name());
    data.put("dataset_location", location);
    data.put("created", created);
    data.put("status", service.orgStatus(org).status().name());
    return new JobResult("org.onboarded", data);
  }

  /**
   * A new org gets every row it owns, written again by every attempt (keyed: never twice); an org
   * that existed before the job gets its audit entry and only the rows it lacks.
   */
  private List<CentralRows.Row> writeOnboardingRows(
      Job job,
      Command.Onboard cmd,
      boolean alreadyExisted,
      Optional<Map<String, Object>> profile,
      String location,
      Instant at,
      StepLog steps) {
    String org = cmd.orgSlug().value();
    if (!alreadyExisted || profile.isEmpty()) {
      List<CentralRows.Row> rows =
          centralRows.forNewOrg(cmd, location, at, job.id(), job.commandId());
      centralRows.write(rows, steps);
      return rows;
    }
    List<CentralRows.Row> candidates = new ArrayList<>(centralRows.derivedFrom(profile.get()));
    centralRows.apiKey(cmd, at).ifPresent(candidates::add);
    List<CentralRows.Row> written =
        new ArrayList<>(centralRows.completeMissing(org, candidates, steps));
    CentralRows.Row audit =
        centralRows.audit(
            org, job.id(), job.commandId(), "ORG_ONBOARD_CONVERGED", auditedAt(steps));
    centralRows.write(List.of(audit), steps);
    written.add(audit);
    return written;
  }

  private static void requireSameProfile(Command.Onboard cmd, Map<String, Object> profile) {
    if (!Objects.equals(profile.get("company_name"), cmd.companyName())
        || !Objects.equals(profile.get("admin_email"), cmd.adminEmail())) {
      throw new JobFailedException(
          ErrorInfo.permanent(
              "ORG_EXISTS",
              "org '"
                  + cmd.orgSlug()
                  + "' already exists with a different company name or admin e-mail; nothing"
                  + " was changed"),
          null,
          null);
    }
  }

  private String central() {
    return service.centralDataset();
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
    Plan plan = service.planOrg(org, RecordedDataset.of(profile.get()));
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
    if (!cmd.dryRun()) {
      steps.checkLease();
    }
    SyncResult result = service.apply(plan, chosen, cmd.dryRun());
    Map<String, Object> data = syncData(org, result);
    if (!cmd.dryRun()) {
      List<CentralRows.Row> completed =
          centralRows.completeMissing(org.value(), centralRows.derivedFrom(profile.get()), steps);
      if (!completed.isEmpty()) {
        centralRows.write(
            List.of(
                centralRows.audit(
                    org.value(),
                    job.id(),
                    job.commandId(),
                    "ORG_CENTRAL_ROWS_COMPLETED",
                    auditedAt(steps))),
            steps);
      }
      data.put(
          "central_rows_completed", completed.stream().map(CentralRows.Row::describe).toList());
    }
    return new JobResult("org.synced", data);
  }

  /** The time of the job's audit entry, fixed at the first attempt that writes it. */
  private Instant auditedAt(StepLog steps) {
    return Instant.parse(steps.remember(FACT_AUDITED_AT, clock.instant().toString()));
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
