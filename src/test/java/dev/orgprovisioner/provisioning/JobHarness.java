package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.ledger.memory.InMemoryLedger;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.FaultyWarehouse;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs onboarding and sync jobs of {@link ProvisioningJobs} directly, attempt after attempt, over a
 * fault-injecting DuckDB warehouse with the project's catalog.
 */
public final class JobHarness implements AutoCloseable {

  static final String API_KEY_SHA256 = "ab".repeat(32);

  final DuckDbWarehouse duck = new DuckDbWarehouse(":memory:");
  final FaultyWarehouse warehouse = new FaultyWarehouse(duck);
  final ProvisioningService service;
  final ProvisioningJobs jobs;

  /** Where jobs queue the jobs they issue (offboarding's deadline). */
  final InMemoryLedger ledger = LedgerFixtures.inMemory(Duration.ofMinutes(1));

  JobHarness() {
    this(new ProvisioningSettings(Environment.LOCAL, "EU"));
  }

  /** A harness whose use cases run with {@code settings} (e.g. configured dataset settings). */
  JobHarness(ProvisioningSettings settings) {
    this(settings, Clock.systemUTC());
  }

  /** A harness whose jobs read the time from {@code clock}. */
  JobHarness(ProvisioningSettings settings, Clock clock) {
    service = new ProvisioningService(CatalogFixtures.project(), warehouse, settings);
    jobs = new ProvisioningJobs(service, clock, null, ledger);
    service.bootstrap(false);
  }

  /** An onboarding job of {@code org} with an API key, in {@code location} (null: none named). */
  public static Job onboard(String org, String location) {
    Map<String, Object> data = MalformedCommands.onboardData(org);
    data.put("api_key_sha256", API_KEY_SHA256);
    if (location != null) {
      data.put("dataset_location", location);
    }
    return job(CommandType.ONBOARD, org, data);
  }

  /** An onboarding job of {@code org} that chooses {@code datasetSettings} (the command's JSON). */
  public static Job onboardChoosing(String org, Map<String, Object> datasetSettings) {
    Map<String, Object> data = MalformedCommands.onboardData(org);
    data.put("dataset_settings", datasetSettings);
    return job(CommandType.ONBOARD, org, data);
  }

  /** A dry run of {@code org}'s onboarding with an API key, its data changed by {@code changes}. */
  public static Job onboardDryRun(String org, Map<String, Object> changes) {
    Map<String, Object> data = MalformedCommands.onboardData(org);
    data.put("api_key_sha256", API_KEY_SHA256);
    data.putAll(changes);
    data.put("dry_run", true);
    return job(CommandType.ONBOARD, org, data);
  }

  /**
   * A sync of {@code org} with {@code options.views} set to {@code views} (true, false,
   * "recreate").
   */
  public static Job syncViews(String org, Object views, boolean dryRun) {
    return job(
        CommandType.SYNC,
        org,
        Map.of("org_slug", org, "options", Map.of("views", views, "dry_run", dryRun)));
  }

  public static Job sync(String org, boolean dryRun) {
    return job(
        CommandType.SYNC, org, Map.of("org_slug", org, "options", Map.of("dry_run", dryRun)));
  }

  /** A rotation of {@code org}'s API key to the key hashed {@code sha256}. */
  public static Job rotateKey(String org, String sha256, boolean revokePrevious) {
    return job(
        CommandType.ROTATE_API_KEY,
        org,
        Map.of("org_slug", org, "api_key_sha256", sha256, "revoke_previous", revokePrevious));
  }

  /** A change of {@code org}'s plan to {@code plan}. */
  public static Job changePlan(String org, String plan) {
    return job(CommandType.CHANGE_PLAN, org, Map.of("org_slug", org, "subscription_plan", plan));
  }

  /** An offboarding of {@code org} (graceDays null: the configured default). */
  public static Job offboard(String org, String reason, Integer graceDays) {
    Map<String, Object> data = new java.util.LinkedHashMap<>();
    data.put("org_slug", org);
    data.put("reason", reason);
    if (graceDays != null) {
      data.put("grace_days", graceDays);
    }
    return job(CommandType.OFFBOARD, org, data);
  }

  /** A restore of {@code org}. */
  public static Job restore(String org) {
    return job(CommandType.RESTORE, org, Map.of("org_slug", org));
  }

  /** The queued job a command of the worker's own became (e.g. an offboarding's deadline). */
  static Job running(Job queued) {
    return job(queued.type(), queued.orgSlug(), queued.id(), queued.data());
  }

  /** A drift check of every org with auto-repair (run it with {@link DriftChecker#run}). */
  public static Job driftCheck() {
    return job(CommandType.DRIFT_CHECK, null, Map.of("scope", "all", "auto_repair", true));
  }

  static Job job(CommandType type, String org, Map<String, Object> data) {
    return job(
        type,
        org,
        UUID.randomUUID().toString(),
        new String(MalformedCommands.json(data), StandardCharsets.UTF_8));
  }

  private static Job job(CommandType type, String org, String id, String data) {
    Instant now = Instant.now();
    return new Job(
        id,
        type,
        org,
        org,
        type.priority(),
        JobState.RUNNING,
        1,
        1,
        null,
        "harness",
        now.plusSeconds(60),
        "cmd-" + id,
        "key-" + id,
        "key-id-" + id,
        "fingerprint",
        data,
        Map.of(),
        List.of(),
        Map.of(),
        now,
        now,
        null);
  }

  /** One attempt. */
  JobResult run(Job job, StepLog steps) {
    return jobs.run(job, steps);
  }

  /**
   * Runs attempts until one succeeds, as the worker pool would: transient failures and lost leases
   * are retried; a permanent failure is thrown.
   */
  JobResult runToSuccess(Job job, AttemptsStepLog steps) {
    for (int attempt = 1; attempt <= 10; attempt++) {
      try {
        return jobs.run(job, steps.nextAttempt());
      } catch (JobFailedException e) {
        if (!e.error().transientFailure()) {
          throw e;
        }
      } catch (StepLog.LeaseLostException e) {
        // The worker died: a fresh attempt resumes from the step log.
      }
    }
    throw new AssertionError("job " + job.id() + " did not succeed in 10 attempts");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> data(JobResult result) {
    return (Map<String, Object>) result.data();
  }

  static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  }

  @Override
  public void close() {
    duck.close();
  }
}
