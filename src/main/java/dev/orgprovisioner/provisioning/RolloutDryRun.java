package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.plan.Classification;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.Plan;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.rollout.QuotaFloor;
import dev.orgprovisioner.rollout.Rollout;
import dev.orgprovisioner.rollout.RolloutSpec;
import dev.orgprovisioner.rollout.SyncCalls;
import dev.orgprovisioner.rollout.Wave;
import dev.orgprovisioner.rollout.WavePlanner;
import dev.orgprovisioner.rollout.port.RolloutRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a roll-out would do, without writing anything: its waves with their orgs (chosen as the
 * driver chooses them), the plan steps and BigQuery calls their syncs would make, the orgs whose
 * non-additive drift would halt it, and the least time BigQuery's rate limits allow ({@link
 * QuotaFloor}). Plans come from the bulk read (which may lag a change made a moment ago) through a
 * warehouse that refuses writes.
 */
public final class RolloutDryRun {

  /** Datasets read per bulk pass, as the drift check reads them. */
  private static final int CHUNK = 500;

  private final ProvisioningService service;
  private final RolloutRecords records;

  public RolloutDryRun(ProvisioningService service, RolloutRecords records) {
    this.service = service.readOnly();
    this.records = records;
  }

  /** The field a conflict code concerns, as the start command names it. */
  public static String conflictField(String code) {
    return switch (code) {
      case "ROLLOUT_VERSION_MISMATCH" -> "data.target_catalog_version";
      case "ROLLOUT_ID_TAKEN" -> "data.rollout_id";
      default -> null;
    };
  }

  /**
   * The preview; a start that would fail fails here the same way ({@code ROLLOUT_VERSION_MISMATCH},
   * {@code ROLLOUT_ID_TAKEN}, {@code ROLLOUT_IN_PROGRESS}).
   */
  public Map<String, Object> preview(RolloutSpec spec) {
    String version = service.catalog().org().version();
    if (!spec.targetVersion().equals(version)) {
      throw conflict(
          "ROLLOUT_VERSION_MISMATCH",
          "this worker runs catalog version "
              + version
              + "; a roll-out to version "
              + spec.targetVersion()
              + " must be started by workers running it");
    }
    if (records.get(spec.id()).isPresent()) {
      throw conflict("ROLLOUT_ID_TAKEN", "roll-out '" + spec.id() + "' exists already");
    }
    for (Rollout other : records.list(100)) {
      if (other.status().active()) {
        throw conflict(
            "ROLLOUT_IN_PROGRESS",
            "roll-out '" + other.id() + "' is " + other.status() + "; one roll-out runs at a time");
      }
    }
    List<String> fleet = service.activeOrgs();
    Map<String, RecordedDataset> recorded = profiles(fleet);
    Set<String> earlier = new HashSet<>();
    List<Map<String, Object>> waves = new ArrayList<>();
    Map<String, Integer> allSteps = new TreeMap<>();
    SyncCalls allCalls = SyncCalls.NONE;
    Duration total = Duration.ZERO;
    Integer haltsAt = null;
    for (int i = 0; i < spec.waves().size(); i++) {
      List<String> orgs = WavePlanner.orgsOf(spec, i, fleet, earlier);
      earlier.addAll(orgs);
      WavePreview wave = previewWave(orgs, recorded);
      QuotaFloor floor = QuotaFloor.of(wave.calls(), spec.maxConcurrentOrgs());
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("wave", i);
      describe(spec.waves().get(i), fleet, data);
      data.put("org_count", orgs.size());
      data.put("orgs", orgs);
      data.put("orgs_with_changes", wave.changed());
      data.put("steps", wave.steps());
      SyncCalls calls = wave.calls().stream().reduce(SyncCalls.NONE, SyncCalls::plus);
      data.put("bigquery_calls", calls.byMethod());
      data.put("non_additive_orgs", wave.nonAdditive());
      data.put("minimum_seconds", floor.minimum().toSeconds());
      data.put("bound_by", floor.boundBy());
      waves.add(data);
      wave.steps().forEach((k, n) -> allSteps.merge(k, n, Integer::sum));
      allCalls = allCalls.plus(calls);
      total = total.plus(floor.minimum());
      if (i > 0) {
        total = total.plus(spec.bakeTime());
      }
      if (haltsAt == null && !wave.nonAdditive().isEmpty()) {
        haltsAt = i;
      }
    }
    Map<String, Object> preview = new LinkedHashMap<>();
    preview.put("dry_run", true);
    preview.put("rollout_id", spec.id());
    preview.put("target_catalog_version", spec.targetVersion());
    preview.put("fleet", fleet.size());
    preview.put("max_concurrent_orgs", spec.maxConcurrentOrgs());
    preview.put("max_failure_rate", spec.maxFailureRate());
    preview.put("bake_seconds", spec.bakeTime().toSeconds());
    preview.put("waves", waves);
    preview.put("steps", allSteps);
    preview.put("bigquery_calls", allCalls.byMethod());
    preview.put("minimum_seconds", total.toSeconds());
    preview.put("minimum_formula", QuotaFloor.FORMULA);
    // Non-additive drift fails that org's sync, and any such failure halts the roll-out.
    preview.put("halts_at_wave", haltsAt);
    return preview;
  }

  private record WavePreview(
      List<SyncCalls> calls, Map<String, Integer> steps, int changed, List<String> nonAdditive) {}

  private WavePreview previewWave(List<String> orgs, Map<String, RecordedDataset> recorded) {
    List<SyncCalls> calls = new ArrayList<>();
    Map<String, Integer> steps = new TreeMap<>();
    List<String> nonAdditive = new ArrayList<>();
    int changed = 0;
    for (int from = 0; from < orgs.size(); from += CHUNK) {
      List<String> chunk = orgs.subList(from, Math.min(from + CHUNK, orgs.size()));
      Map<String, ObservedDataset> snapshots =
          service
              .warehouse()
              .bulkSnapshot(
                  chunk.stream().map(o -> service.settings().orgDataset(slug(o))).toList());
      for (String org : chunk) {
        Optional<ObservedDataset> observed =
            Optional.ofNullable(snapshots.get(service.settings().orgDataset(slug(org))));
        Plan plan =
            service.planOrg(slug(org), recorded.getOrDefault(org, RecordedDataset.NONE), observed);
        if (!plan.differences(Classification.NON_ADDITIVE).isEmpty()) {
          // Such a sync fails before applying anything: no calls beyond its read.
          nonAdditive.add(org);
          calls.add(SyncCallCount.of(List.of(), observed));
          continue;
        }
        if (!plan.steps().isEmpty()) {
          changed++;
        }
        for (PlanStep step : plan.steps()) {
          steps.merge(SyncCallCount.kind(step), 1, Integer::sum);
        }
        calls.add(SyncCallCount.of(plan.steps(), observed));
      }
    }
    return new WavePreview(calls, steps, changed, nonAdditive);
  }

  private static void describe(Wave wave, List<String> fleet, Map<String, Object> data) {
    if (wave instanceof Wave.Canary canary) {
      data.put("canary", canary.orgs());
      // Listed orgs that have no profile or are leaving: the driver skips them too.
      data.put("not_in_fleet", canary.orgs().stream().filter(o -> !fleet.contains(o)).toList());
    } else {
      data.put("share", ((Wave.Share) wave).upTo());
    }
  }

  /** What each org's profile records (location, settings), read once for the whole fleet. */
  private Map<String, RecordedDataset> profiles(List<String> fleet) {
    Map<String, RecordedDataset> recorded = new HashMap<>();
    if (fleet.isEmpty()) {
      return recorded;
    }
    service
        .warehouse()
        .selectRows(
            service.centralDataset(), ProvisioningService.PROFILES_TABLE, Map.of(), 10_000_000)
        .forEach(row -> recorded.put(String.valueOf(row.get("org_slug")), RecordedDataset.of(row)));
    return recorded;
  }

  private static OrgSlug slug(String org) {
    return OrgSlug.parse(org);
  }

  private static JobFailedException conflict(String code, String message) {
    return new JobFailedException(ErrorInfo.permanent(code, message), null, null);
  }
}
