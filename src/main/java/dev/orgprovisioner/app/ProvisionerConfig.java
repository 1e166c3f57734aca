package dev.orgprovisioner.app;

import dev.orgprovisioner.provisioning.Environment;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Core settings of the worker. */
@ConfigMapping(prefix = "provisioner")
public interface ProvisionerConfig {

  /** Deployment environment (local, stage, prod); org datasets are named {org}_{env}. */
  @WithDefault("local")
  Environment env();

  /** Directory holding the schema catalog; unset uses the catalog packaged in the application. */
  Optional<String> catalogPath();

  /** Create or complete the central dataset when the worker starts. */
  @WithDefault("false")
  boolean bootstrapOnStart();

  /** Publish a demo onboarding at start and print its completion event (the local run). */
  @WithDefault("false")
  boolean demo();

  /** Dataset settings of every org's dataset, over the catalog's; unset keeps the catalog's. */
  DatasetSettingsOverride datasetSettings();

  /**
   * Dataset settings of single orgs, keyed by org slug ({@code
   * provisioner.org-dataset-settings.acme.max-time-travel=72h}); they win over the onboarding's
   * choice and every default.
   */
  Map<String, DatasetSettingsOverride> orgDatasetSettings();

  /**
   * Per org (by slug): the domains besides its admin's that the principals it grants access to may
   * be of, e.g. {@code
   * provisioner.org-access-domains.acme=acme-analytics.com,acme-prj.iam.gserviceaccount.com}.
   */
  Map<String, List<String>> orgAccessDomains();

  /**
   * Where new org datasets may be created (an onboarding asking elsewhere fails with
   * DATASET_LOCATION_NOT_ALLOWED); unset: BigQuery's locations.
   */
  Optional<List<String>> allowedLocations();

  /** The tenant views of docs/tenant-access.md: views an org's principals read, by shard. */
  TenantViews tenantViews();

  /** The tenant views: whether they are built, and over how many shard datasets. */
  interface TenantViews {
    /**
     * Build each org's views dataset, its views in a shard dataset, their authorizations and the
     * org's reader grants (default false: nothing of it is built).
     */
    @WithDefault("false")
    boolean enabled();

    /**
     * How many shard datasets ({central}_shard_{n}); fixed at first deploy, since an org's shard is
     * a hash of its slug modulo this count. Capacity: count x 2,500 orgs (unset:
     * TenantShards.DEFAULT_COUNT, 40: 100,000 orgs).
     */
    Optional<Integer> shardCount();
  }

  /** Offboarding's times; each unset keeps its default (OffboardingSettings.DEFAULTS). */
  Offboarding offboarding();

  /** Offboarding's times. */
  interface Offboarding {
    /** Offboarding to deletion when the command names no grace_days (default 30 days). */
    Optional<Duration> gracePeriod();

    /**
     * How long after the deletion a restore can undelete the dataset (default 7 days, BigQuery's
     * time travel window; never set it longer than the datasets' max_time_travel).
     */
    Optional<Duration> restoreWindow();
  }

  /** Options of an org's dataset; each one unset leaves the level below in force. */
  interface DatasetSettingsOverride {
    /** Lifetime of new tables (at least 1h). */
    Optional<Duration> defaultTableExpiration();

    /** Lifetime of the partitions of new partitioned tables. */
    Optional<Duration> defaultPartitionExpiration();

    /** Time-travel window: 48h to 168h, whole days. */
    Optional<Duration> maxTimeTravel();

    /**
     * Cloud KMS key new tables are encrypted with:
     * projects/../locations/../keyRings/../cryptoKeys/..
     */
    Optional<String> defaultKmsKeyName();

    /** Extra dataset labels (e.g. cost-center for billing), merged key by key. */
    Map<String, String> labels();
  }
}
