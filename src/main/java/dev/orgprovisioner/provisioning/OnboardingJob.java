package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.Plan;
import dev.orgprovisioner.plan.PlanStep;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The onboarding job: the org's dataset, then its central rows, each a step a resumed attempt skips
 * once recorded; an org that exists with the same profile converges instead of failing.
 */
final class OnboardingJob {

  static final String STEP_DATASET = "provision-dataset";
  static final String STEP_ROWS = "central-rows";
  static final String FACT_EXISTED = "already_existed";
  static final String FACT_LOCATION = "dataset_location";
  static final String FACT_AT = "onboarded_at";
  static final String ORG_EXISTS = "ORG_EXISTS";

  private final ProvisioningService service;
  private final Clock clock;
  private final CentralRows centralRows;
  private final ApiKeyRotation keys;
  private final OnboardingPlanner planner;
  private final AccessGrants grants;

  OnboardingJob(
      ProvisioningService service,
      Clock clock,
      CentralRows centralRows,
      ApiKeyRotation keys,
      OnboardingPlanner planner,
      AccessGrants grants) {
    this.service = service;
    this.clock = clock;
    this.centralRows = centralRows;
    this.keys = keys;
    this.planner = planner;
    this.grants = grants;
  }

  JobResult run(Job job, Command.Onboard cmd, StepLog steps) {
    OrgSlug org = cmd.orgSlug();
    if (!steps.isDone(STEP_DATASET) && !service.warehouse().datasetExists(central())) {
      // The central dataset is part of the platform, not of this org: create it on first use.
      steps.checkLease();
      service.bootstrap(false);
    }
    Optional<Map<String, Object>> profile = planner.existingProfile(cmd);
    // Decided once, at the first attempt: a retry sees the profile its predecessor wrote.
    boolean alreadyExisted =
        Boolean.parseBoolean(steps.remember(FACT_EXISTED, String.valueOf(profile.isPresent())));
    DatasetSettings chosen = planner.settings(cmd, profile);
    Map<String, Object> created = new LinkedHashMap<>();
    String location;
    if (!steps.isDone(STEP_DATASET)) {
      Optional<ObservedDataset> observed = planner.observe(org);
      location = steps.remember(FACT_LOCATION, planner.location(cmd, profile, observed));
      Plan plan = planner.datasetPlan(org, location, chosen, observed);
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
    // Every attempt: granting what is there changes nothing.
    AccessGrants.Outcome access = grants.converge(org, profile.orElse(null), cmd.access(), steps);
    if (!access.granted().isEmpty()) {
      created.put("access_granted", access.granted());
    }
    if (access.tenantViews() != null) {
      created.put("tenant_views", access.tenantViews().eventData());
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
    boolean rotate = cmd.regenerateApiKey() && cmd.apiKeySha256() != null;
    if (!rotate) {
      centralRows.apiKey(cmd, at).ifPresent(candidates::add);
    }
    List<CentralRows.Row> written =
        new ArrayList<>(centralRows.completeMissing(org, candidates, steps));
    if (rotate) {
      // The old system's regenerate_api_key_if_exists: the same profile onboarding again rotates.
      ApiKeyRotation.Outcome outcome =
          keys.rotate(
              cmd.orgSlug(), cmd.apiKeySha256(), true, JobTimes.changedAt(steps, clock), steps);
      written.add(
          new CentralRows.Row(
              CentralRows.API_KEYS,
              List.of("org_api_key_id"),
              Map.of("org_api_key_id", outcome.keyId())));
    }
    CentralRows.Row audit =
        centralRows.audit(
            org,
            job.id(),
            job.commandId(),
            "ORG_ONBOARD_CONVERGED",
            JobTimes.auditedAt(steps, clock));
    centralRows.write(List.of(audit), steps);
    written.add(audit);
    return written;
  }

  private String central() {
    return service.centralDataset();
  }

  static List<String> names(Plan plan, Class<? extends PlanStep> kind) {
    return plan.steps().stream()
        .filter(kind::isInstance)
        .map(
            s ->
                s instanceof PlanStep.CreateTable t
                    ? t.table().name()
                    : ((PlanStep.CreateOrReplaceView) s).view().name())
        .toList();
  }
}
