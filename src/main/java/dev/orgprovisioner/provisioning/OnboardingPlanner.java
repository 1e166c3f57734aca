package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.Plan;
import dev.orgprovisioner.plan.PlanStep;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an onboarding decides before it writes: the first half of every onboarding and the whole of
 * its dry run. It sees the warehouse only through {@link ProvisioningService#readOnly()}, so
 * nothing it does can write.
 */
public final class OnboardingPlanner {

  /** The field a conflict of each kind is about, as the decoder names fields. */
  private static final Map<String, String> CONFLICT_FIELDS =
      Map.of(
          OnboardingJob.ORG_EXISTS, "data.org_slug",
          Residency.CONFLICT, "data.dataset_location",
          OnboardingSettings.CONFLICT, "data.dataset_settings",
          AccessGrants.NOT_ALLOWED, "data.access",
          Residency.NOT_ALLOWED, "data.dataset_location");

  private final ProvisioningService service;
  private final CentralRows rows;
  private final Clock clock;

  public OnboardingPlanner(ProvisioningService service, Clock clock) {
    this.service = service.readOnly();
    this.rows =
        new CentralRows(
            this.service.warehouse(),
            this.service.centralDataset(),
            this.service.catalog().central().tables(),
            this.service.settings());
    this.clock = clock;
  }

  /** The field of the command an onboarding failure with {@code code} is about, or null. */
  public static String conflictField(String code) {
    // ORG_OFFBOARDING, ORG_OFFBOARDED: the slug names an org that is leaving.
    return CONFLICT_FIELDS.getOrDefault(code, code.startsWith("ORG_") ? "data.org_slug" : null);
  }

  /**
   * The org's profile when it was onboarded; one with another company name or admin e-mail fails
   * permanently ({@code ORG_EXISTS}), as does an org being offboarded, and principals outside the
   * org's domains ({@code ACCESS_PRINCIPAL_NOT_ALLOWED}).
   */
  Optional<Map<String, Object>> existingProfile(Command.Onboard cmd) {
    if (cmd.access() != null) {
      AccessGrants.requireAllowed(
          cmd.orgSlug(),
          cmd.adminEmail(),
          service.settings().accessDomains(cmd.orgSlug()),
          cmd.access());
    }
    Optional<Map<String, Object>> profile = service.profile(cmd.orgSlug());
    profile.ifPresent(
        p -> {
          requireSameProfile(cmd, p);
          ProvisioningJobs.requireStaying(cmd.orgSlug(), p, "nothing was changed");
        });
    return profile;
  }

  /** The dataset settings the onboarding keeps; ones contradicting the profile fail. */
  DatasetSettings settings(Command.Onboard cmd, Optional<Map<String, Object>> profile) {
    return OnboardingSettings.chosen(
        cmd.orgSlug(), cmd.datasetSettings(), profile.map(RecordedDataset::of));
  }

  /** The org's dataset as it is now (fresh read). */
  Optional<ObservedDataset> observe(OrgSlug org) {
    return service.warehouse().freshSnapshot(service.settings().orgDataset(org));
  }

  /** Where the dataset lives; a location contradicting the profile or the dataset fails. */
  String location(
      Command.Onboard cmd,
      Optional<Map<String, Object>> profile,
      Optional<ObservedDataset> observed) {
    Residency.requireAllowed(
        cmd.orgSlug(), cmd.datasetLocation(), service.settings().allowedLocations());
    return Residency.locationFor(
        cmd.orgSlug(),
        cmd.datasetLocation(),
        profile.map(ProvisioningService::recordedLocation).orElse(null),
        observed.map(ObservedDataset::location).orElse(null),
        service.settings().defaultLocation());
  }

  /** The plan of the org's dataset at {@code location} with {@code settings}. */
  Plan datasetPlan(
      OrgSlug org, String location, DatasetSettings settings, Optional<ObservedDataset> observed) {
    return service.planOrg(org, new RecordedDataset(location, settings), observed);
  }

  /**
   * The dry run of an onboarding: the checks an onboarding makes against the org's state (a failure
   * is thrown as the onboarding would fail, its details saying it was a dry run), and what it would
   * create: the dataset's plan and the central rows. Nothing is written.
   *
   * @param requestId the id of the dry run's job or request, in the audit row it would write
   */
  public Map<String, Object> preview(Command.Onboard cmd, String requestId) {
    try {
      return previewOrThrow(cmd, requestId);
    } catch (JobFailedException e) {
      throw new JobFailedException(e.error(), Map.of("dry_run", true), e);
    }
  }

  private Map<String, Object> previewOrThrow(Command.Onboard cmd, String requestId) {
    OrgSlug org = cmd.orgSlug();
    boolean centralExists = service.warehouse().freshSnapshot(service.centralDataset()).isPresent();
    Optional<Map<String, Object>> profile = existingProfile(cmd);
    DatasetSettings chosen = settings(cmd, profile);
    Optional<ObservedDataset> observed = observe(org);
    String location = location(cmd, profile, observed);
    Plan plan = datasetPlan(org, location, chosen, observed);
    Map<String, Object> wouldCreate = new LinkedHashMap<>();
    wouldCreate.put("central_dataset", !centralExists);
    wouldCreate.put(
        "dataset", plan.steps().stream().anyMatch(s -> s instanceof PlanStep.CreateDataset));
    wouldCreate.put("tables", OnboardingJob.names(plan, PlanStep.CreateTable.class));
    wouldCreate.put("views", OnboardingJob.names(plan, PlanStep.CreateOrReplaceView.class));
    wouldCreate.put(
        "central_rows",
        centralRows(cmd, profile, location, requestId).stream()
            .map(CentralRows.Row::describe)
            .toList());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("org_slug", org.value());
    data.put("dataset", service.settings().orgDataset(org));
    data.put("dry_run", true);
    data.put("already_existed", profile.isPresent());
    data.put("orphan_dataset", profile.isEmpty() && observed.isPresent());
    data.put("subscription_plan", cmd.subscriptionPlan().name());
    data.put("dataset_location", location);
    data.put("would_create", wouldCreate);
    data.put("plan", PlanReport.of(plan));
    data.put("status", plan.status().name());
    return data;
  }

  /** The central rows the onboarding would write: all of a new org's, else those it lacks. */
  private List<CentralRows.Row> centralRows(
      Command.Onboard cmd,
      Optional<Map<String, Object>> profile,
      String location,
      String requestId) {
    String org = cmd.orgSlug().value();
    if (profile.isEmpty()) {
      return rows.forNewOrg(cmd, location, clock.instant(), requestId, requestId);
    }
    List<CentralRows.Row> candidates = new ArrayList<>(rows.derivedFrom(profile.get()));
    boolean rotate = cmd.regenerateApiKey() && cmd.apiKeySha256() != null;
    rows.apiKey(cmd, clock.instant()).filter(k -> !rotate).ifPresent(candidates::add);
    List<CentralRows.Row> out = new ArrayList<>(rows.missing(org, candidates, () -> {}));
    if (rotate) {
      // A rotation writes the key whether or not it exists (it re-activates nothing revoked).
      rows.apiKey(cmd, clock.instant()).ifPresent(out::add);
    }
    out.add(rows.audit(org, requestId, requestId, "ORG_ONBOARD_CONVERGED", clock.instant()));
    return out;
  }

  private static void requireSameProfile(Command.Onboard cmd, Map<String, Object> profile) {
    if (!Objects.equals(profile.get("company_name"), cmd.companyName())
        || !Objects.equals(profile.get("admin_email"), cmd.adminEmail())) {
      throw new JobFailedException(
          ErrorInfo.permanent(
              OnboardingJob.ORG_EXISTS,
              "org '"
                  + cmd.orgSlug()
                  + "' already exists with a different company name or admin e-mail; nothing"
                  + " was changed"),
          null,
          null);
    }
  }
}
