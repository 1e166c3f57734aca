package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.command.OrgSlug;
import java.util.Map;
import java.util.Set;

/**
 * What the use cases need from configuration.
 *
 * @param environment part of every org dataset name: {@code {org}_{env}}
 * @param defaultLocation dataset location when a command names none
 * @param datasetDefaults dataset settings of every org dataset, over the catalog's
 * @param orgDatasetSettings dataset settings of one org (by slug), over everything else
 * @param offboarding grace period and restore window of offboarding
 * @param orgAccessDomains per org (by slug): domains besides its admin's its principals may be of
 * @param allowedLocations where new org datasets may be created; null: BigQuery's locations
 * @param tenantViews whether tenant views are built, over how many shards; null: not built
 */
public record ProvisioningSettings(
    Environment environment,
    String defaultLocation,
    DatasetSettings datasetDefaults,
    Map<String, DatasetSettings> orgDatasetSettings,
    OffboardingSettings offboarding,
    Map<String, Set<String>> orgAccessDomains,
    Set<String> allowedLocations,
    TenantViewSettings tenantViews) {

  public ProvisioningSettings {
    datasetDefaults = datasetDefaults == null ? DatasetSettings.NONE : datasetDefaults;
    orgDatasetSettings = orgDatasetSettings == null ? Map.of() : Map.copyOf(orgDatasetSettings);
    offboarding = offboarding == null ? OffboardingSettings.DEFAULTS : offboarding;
    orgAccessDomains = orgAccessDomains == null ? Map.of() : Map.copyOf(orgAccessDomains);
    allowedLocations =
        allowedLocations == null ? Residency.BIGQUERY_LOCATIONS : Set.copyOf(allowedLocations);
    tenantViews = tenantViews == null ? TenantViewSettings.DISABLED : tenantViews;
  }

  /** Settings without tenant views. */
  public ProvisioningSettings(
      Environment environment,
      String defaultLocation,
      DatasetSettings datasetDefaults,
      Map<String, DatasetSettings> orgDatasetSettings,
      OffboardingSettings offboarding,
      Map<String, Set<String>> orgAccessDomains,
      Set<String> allowedLocations) {
    this(
        environment,
        defaultLocation,
        datasetDefaults,
        orgDatasetSettings,
        offboarding,
        orgAccessDomains,
        allowedLocations,
        null);
  }

  /** These settings with tenant views built as {@code tenantViews} says. */
  public ProvisioningSettings withTenantViews(TenantViewSettings tenantViews) {
    return new ProvisioningSettings(
        environment,
        defaultLocation,
        datasetDefaults,
        orgDatasetSettings,
        offboarding,
        orgAccessDomains,
        allowedLocations,
        tenantViews);
  }

  /** The domains besides its admin's an org's principals may be of (platform configuration). */
  public Set<String> accessDomains(OrgSlug org) {
    return orgAccessDomains.getOrDefault(org.value(), Set.of());
  }

  /** Settings with offboarding's default times. */
  public ProvisioningSettings(
      Environment environment,
      String defaultLocation,
      DatasetSettings datasetDefaults,
      Map<String, DatasetSettings> orgDatasetSettings) {
    this(environment, defaultLocation, datasetDefaults, orgDatasetSettings, null, null, null);
  }

  /** Settings without dataset overrides: the catalog's apply. */
  public ProvisioningSettings(Environment environment, String defaultLocation) {
    this(environment, defaultLocation, DatasetSettings.NONE, Map.of(), null, null, null);
  }

  /** The dataset of an org, e.g. {@code acme_prod}. One rule, used by every code path. */
  public String orgDataset(OrgSlug org) {
    return org.value() + "_" + environment.id();
  }

  /**
   * The dataset settings of an org, option by option (labels key by key), the first that sets it
   * winning: this org's configuration, what its onboarding chose ({@code recorded}), the configured
   * defaults, the catalog.
   */
  public DatasetSettings datasetSettings(
      OrgSlug org, DatasetSettings catalog, DatasetSettings recorded) {
    return catalog
        .overriddenBy(datasetDefaults)
        .overriddenBy(recorded)
        .overriddenBy(orgDatasetSettings.get(org.value()));
  }
}
