package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.CatalogVersions;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.Plan;
import dev.orgprovisioner.plan.SyncStatus;
import dev.orgprovisioner.rollout.Rollout;
import dev.orgprovisioner.rollout.WaveRun;
import dev.orgprovisioner.rollout.port.RolloutRecords;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The drift check: compares every org's dataset with the catalog in bulk (one snapshot pass per
 * chunk of orgs, streamed so memory does not grow with the fleet), reports each drifted org, and
 * queues sync jobs at priority 3 (after onboardings and customers' syncs) to repair additive drift
 * and deleted datasets, up to a cap. Before queuing a repair it re-plans the org from a fresh read:
 * drift the bulk read alone shows (it may lag a change just made) is reported as unconfirmed and
 * never repaired. Non-additive drift, a dataset outside its recorded location included, is reported
 * and never touched. The summary counts orgs per catalog version their dataset was last synced to.
 * The orgs of the current wave of an active roll-out are the roll-out's: classified, reported
 * {@code rollout_owned}, never re-read or repaired, so the check does not race the roll-out's
 * syncs.
 */
public final class DriftChecker {

  /** Name under which the last check's summary is stored in the ledger. */
  public static final String LATEST_REPORT = "drift-latest";

  /** The key under which orgs whose dataset carries no catalog version are counted. */
  public static final String NO_VERSION = "none";

  /**
   * Tunables of the drift check.
   *
   * @param maxRepairs repairs queued per check at most, so one bad release cannot storm the
   *     warehouse
   * @param chunkSize orgs snapshotted per warehouse pass
   */
  public record Settings(int maxRepairs, int chunkSize) {}

  /** The classification of one org, or of an orphan dataset. */
  public enum OrgDrift {
    SYNCED,
    OUT_OF_SYNC,
    PROFILE_ONLY,
    ORPHAN
  }

  /** An org's classification and, for an existing dataset of a known org, its plan. */
  /**
   * @param missingGrants recorded grants the dataset's access list lacks (a sync puts them back)
   * @param tenantViews what the tenant views lack (all additive: a sync puts it back)
   */
  private record Verdict(
      OrgDrift drift, Plan plan, List<String> missingGrants, List<String> tenantViews) {
    boolean repairable() {
      return drift == OrgDrift.PROFILE_ONLY
          || (drift == OrgDrift.OUT_OF_SYNC
              && (!plan.isNoop() || !missingGrants.isEmpty() || !tenantViews.isEmpty()));
    }
  }

  private final ProvisioningService service;
  private final Ledger ledger;
  private final EventFactory events;
  private final Clock clock;
  private final Settings settings;
  private final RolloutRecords rollouts;
  private final TenantAccess tenant;
  // The central and shard datasets' authorized lists, read once per run (see TenantAccess.check).
  private final Map<String, Optional<List<String>>> authorizedLists =
      new java.util.concurrent.ConcurrentHashMap<>();

  public DriftChecker(
      ProvisioningService service,
      Ledger ledger,
      EventFactory events,
      Clock clock,
      Settings settings) {
    this(service, ledger, events, clock, settings, null);
  }

  /**
   * @param rollouts the roll-outs whose current wave's orgs the check leaves alone; null: none
   */
  public DriftChecker(
      ProvisioningService service,
      Ledger ledger,
      EventFactory events,
      Clock clock,
      Settings settings,
      RolloutRecords rollouts) {
    this.rollouts = rollouts;
    this.service = service;
    this.ledger = ledger;
    this.events = events;
    this.clock = clock;
    this.settings = settings;
    this.tenant = new TenantAccess(service);
  }

  /** Runs one check for the job and returns the summary (the drift.check.completed data). */
  public Map<String, Object> run(Job job, Command.DriftCheck command) {
    Instant start = clock.instant();
    authorizedLists.clear();
    String central = service.centralDataset();
    String suffix = "_" + service.settings().environment().id();
    // Slug -> what its profile records (dataset location and settings).
    Map<String, RecordedDataset> profiles = new TreeMap<>();
    // Orgs being offboarded: their datasets are neither repaired nor orphans.
    Set<String> leaving = new TreeSet<>();
    // Orgs with recorded access grants: their datasets' access lists are compared too.
    Map<String, List<AccessEntry>> grants = new java.util.HashMap<>();
    Optional<ObservedDataset> centralSnapshot = service.warehouse().freshSnapshot(central);
    if (centralSnapshot.isPresent()) {
      service
          .warehouse()
          .selectRows(central, ProvisioningService.PROFILES_TABLE, Map.of(), 10_000_000)
          .forEach(
              row -> {
                String slug = String.valueOf(row.get("org_slug"));
                if (Offboarding.leaving(row.get("status"))) {
                  leaving.add(slug);
                } else {
                  profiles.put(slug, RecordedDataset.of(row));
                  List<AccessEntry> recorded = AccessGrants.recorded(row);
                  if (!recorded.isEmpty()) {
                    grants.put(slug, recorded);
                  }
                }
              });
    }
    Set<String> datasets = new TreeSet<>();
    for (String dataset : service.warehouse().managedDatasets()) {
      if (!dataset.equals(central) && dataset.endsWith(suffix)) {
        String slug = dataset.substring(0, dataset.length() - suffix.length());
        if (OrgSlug.isValid(slug)) {
          datasets.add(slug);
        }
      }
    }
    Set<String> orgs = new TreeSet<>();
    if (command.orgs().isEmpty()) {
      orgs.addAll(profiles.keySet());
      orgs.addAll(datasets);
    } else {
      command.orgs().forEach(o -> orgs.add(o.value()));
    }
    orgs.removeAll(leaving);
    boolean autoRepair = command.autoRepair();
    Map<OrgDrift, Integer> counts = new EnumMap<>(OrgDrift.class);
    for (OrgDrift d : OrgDrift.values()) {
      counts.put(d, 0);
    }
    // Orgs per catalog version their dataset was last synced to ("none": no version label).
    Map<String, Integer> versions = new TreeMap<>(CatalogVersions.ORDER);
    List<String> orphans = new ArrayList<>();
    List<String> unconfirmed = new ArrayList<>();
    List<String> repaired = new ArrayList<>();
    int skippedByCap = 0;
    List<String> owned = new ArrayList<>();
    String owner = null;
    List<String> chunk = new ArrayList<>();
    List<String> all = new ArrayList<>(orgs);
    for (int i = 0; i < all.size(); i += settings.chunkSize()) {
      chunk.clear();
      chunk.addAll(all.subList(i, Math.min(i + settings.chunkSize(), all.size())));
      Map<String, ObservedDataset> snapshots =
          service.warehouse().bulkSnapshot(chunk.stream().map(o -> o + suffix).toList());
      List<OutboxEvent> detected = new ArrayList<>();
      // Read again per chunk: a wave may start while a long check runs.
      Optional<Rollout> active = activeRollout();
      Set<String> wave = active.map(DriftChecker::waveOrgs).orElse(Set.of());
      for (String org : chunk) {
        ObservedDataset observed = snapshots.get(org + suffix);
        if (!profiles.containsKey(org)) {
          if (observed != null) {
            counts.merge(OrgDrift.ORPHAN, 1, Integer::sum);
            orphans.add(org);
          }
          continue;
        }
        Verdict verdict = verdict(org, profiles.get(org), grants.get(org), observed);
        if (observed != null) {
          versions.merge(versionOf(observed), 1, Integer::sum);
        }
        Boolean confirmed = null; // null: no fresh read was needed
        boolean queued = false;
        boolean ownedByRollout = wave.contains(org);
        if (ownedByRollout) {
          owned.add(org);
          owner = active.get().id();
        } else if (autoRepair && verdict.repairable()) {
          if (repaired.size() < settings.maxRepairs()) {
            Verdict fresh =
                verdict(
                    org,
                    profiles.get(org),
                    grants.get(org),
                    service.warehouse().freshSnapshot(org + suffix).orElse(null));
            confirmed = fresh.drift() != OrgDrift.SYNCED;
            if (confirmed) {
              verdict = fresh;
              queued = verdict.repairable() && queueRepair(job, org);
              if (queued) {
                repaired.add(org);
              }
            } else {
              unconfirmed.add(org);
            }
          } else {
            skippedByCap++;
          }
        }
        OrgDrift drift = verdict.drift();
        counts.merge(drift, 1, Integer::sum);
        if (drift == OrgDrift.OUT_OF_SYNC || drift == OrgDrift.PROFILE_ONLY) {
          Map<String, Object> report = new LinkedHashMap<>();
          report.put("org_slug", org);
          report.put("dataset", org + suffix);
          report.put("status", drift.name());
          if (observed != null) {
            report.put("catalog_version", versionOf(observed));
          }
          if (verdict.plan() != null) {
            PlanReport r = PlanReport.of(verdict.plan());
            report.put("additive", r.additive());
            report.put("non_additive", r.nonAdditive());
            report.put("informational", r.informational());
          }
          if (!verdict.missingGrants().isEmpty()) {
            report.put("missing_grants", verdict.missingGrants());
          }
          if (!verdict.tenantViews().isEmpty()) {
            report.put("tenant_views", verdict.tenantViews());
          }
          if (confirmed != null) {
            report.put("confirmed", confirmed);
          }
          report.put("repair_queued", queued);
          if (ownedByRollout) {
            report.put("rollout_owned", true);
          }
          report.put("check_id", job.id());
          detected.add(
              events.event(
                  EventFactory.digest("drift|" + job.id() + "|" + org),
                  "drift.detected",
                  org,
                  job.commandId(),
                  job.idempotencyKey(),
                  report,
                  clock.instant()));
        }
      }
      if (!detected.isEmpty()) {
        ledger.storeEvents(detected);
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("check_id", job.id());
    Map<String, Integer> byStatus = new LinkedHashMap<>();
    counts.forEach((k, v) -> byStatus.put(k.name(), v));
    summary.put("counts", byStatus);
    summary.put("orgs_checked", all.size());
    summary.put("catalog_version", service.catalog().org().version());
    summary.put("catalog_versions", versions);
    summary.put("offboarding_skipped", leaving.size());
    summary.put(
        "central_status",
        centralSnapshot
            .map(o -> service.plan(service.desiredCentral(), Optional.of(o)).status().name())
            .orElse(SyncStatus.NOT_BOOTSTRAPPED.name()));
    summary.put("orphans", orphans.size() > 100 ? orphans.subList(0, 100) : orphans);
    summary.put("unconfirmed", unconfirmed.size());
    summary.put(
        "unconfirmed_orgs", unconfirmed.size() > 100 ? unconfirmed.subList(0, 100) : unconfirmed);
    summary.put("auto_repair", autoRepair);
    summary.put("repairs_queued", repaired.size());
    summary.put("repairs_skipped_by_cap", skippedByCap);
    summary.put("rollout_owned", owned.size());
    summary.put("rollout_owned_orgs", owned.size() > 100 ? owned.subList(0, 100) : owned);
    if (owner != null) {
      summary.put("rollout_id", owner);
    }
    summary.put("duration_ms", Duration.between(start, clock.instant()).toMillis());
    summary.put("finished_at", clock.instant().toString());
    ledger.saveReport(LATEST_REPORT, EventFactory.json(summary), clock.instant());
    return summary;
  }

  /** The running or baking roll-out, if any (one runs at a time). */
  private Optional<Rollout> activeRollout() {
    if (rollouts == null) {
      return Optional.empty();
    }
    return rollouts.list(20).stream().filter(r -> r.status().active()).findFirst();
  }

  /** The orgs of a roll-out's current wave (none before they are chosen). */
  private static Set<String> waveOrgs(Rollout rollout) {
    WaveRun run = rollout.currentRun();
    return run == null ? Set.of() : Set.copyOf(run.orgs());
  }

  private static String versionOf(ObservedDataset observed) {
    return CatalogVersions.of(observed.labels()).orElse(NO_VERSION);
  }

  /**
   * Classifies an org that has a profile from a snapshot of its dataset (null: none) and, when it
   * records grants ({@code recordedGrants}, null: none), its access list.
   */
  private Verdict verdict(
      String org,
      RecordedDataset recorded,
      List<AccessEntry> recordedGrants,
      ObservedDataset observed) {
    if (observed == null) {
      return new Verdict(OrgDrift.PROFILE_ONLY, null, List.of(), List.of());
    }
    Plan plan = service.planOrg(OrgSlug.parse(org), recorded, Optional.of(observed));
    List<String> missing = List.of();
    if (recordedGrants != null) {
      Set<AccessEntry> present = Set.copyOf(service.warehouse().accessEntries(observed.name()));
      missing =
          recordedGrants.stream()
              .filter(e -> !present.contains(e))
              .map(AccessEntry::principal)
              .toList();
    }
    List<String> views =
        tenant
            .check(
                OrgSlug.parse(org),
                recordedGrants == null ? List.of() : recordedGrants,
                authorizedLists)
            .describe();
    boolean synced = plan.status() == SyncStatus.SYNCED && missing.isEmpty() && views.isEmpty();
    return new Verdict(synced ? OrgDrift.SYNCED : OrgDrift.OUT_OF_SYNC, plan, missing, views);
  }

  /**
   * Queues a sync of the org; its key derives from the check, so a retried check queues none twice.
   */
  private boolean queueRepair(Job job, String org) {
    CommandEnvelope envelope =
        InternalCommands.sync(
            OrgSlug.parse(org),
            EventFactory.digest("repair|" + job.id() + "|" + org),
            "//org-provisioner/drift-check",
            "drift-repair-" + job.id(),
            clock.instant(),
            InternalCommands.DRIFT_REPAIR);
    return ledger.claim(envelope, clock.instant()) instanceof ClaimResult.Claimed;
  }
}
