package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.JobPostponedException;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.port.IdempotencyKeys;
import dev.orgprovisioner.execution.port.JobQueue;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.rollout.Rollout;
import dev.orgprovisioner.rollout.RolloutStatus;
import dev.orgprovisioner.rollout.WavePlanner;
import dev.orgprovisioner.rollout.WaveRun;
import dev.orgprovisioner.rollout.port.RolloutRecords;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Moves a roll-out on, one step per run of its driver job (start or resume): chooses a wave's orgs,
 * queues their syncs up to the concurrency, waits for their terminal states, halts or bakes, and
 * starts the next wave. Between steps the job is postponed, so it holds no lock while it waits and
 * any instance picks it up after a restart; the roll-out itself lives in {@link RolloutRecords}.
 */
public final class RolloutDriver {

  private final RolloutRecords records;
  private final IdempotencyKeys keys;
  private final JobQueue jobs;
  private final Supplier<List<String>> fleet;
  private final String catalogVersion;
  private final Duration poll;
  private final Clock clock;

  /**
   * @param fleet the slugs of the orgs that exist and are not leaving
   * @param poll how often a waiting driver looks again
   */
  public RolloutDriver(
      RolloutRecords records,
      IdempotencyKeys keys,
      JobQueue jobs,
      Supplier<List<String>> fleet,
      String catalogVersion,
      Duration poll,
      Clock clock) {
    this.records = records;
    this.keys = keys;
    this.jobs = jobs;
    this.fleet = fleet;
    this.catalogVersion = catalogVersion;
    this.poll = poll;
    this.clock = clock;
  }

  /** The start command's job: creates the roll-out on its first run, then drives it. */
  public JobResult start(Job job, Command.RolloutStart start, StepLog steps) {
    var spec = start.spec();
    if (!spec.targetVersion().equals(catalogVersion)) {
      throw failure(
          "ROLLOUT_VERSION_MISMATCH",
          "this worker runs catalog version "
              + catalogVersion
              + "; a roll-out to version "
              + spec.targetVersion()
              + " must be started by workers running it");
    }
    var existing = records.get(spec.id());
    if (existing.isPresent() && !job.id().equals(existing.get().driverJobId())) {
      throw failure("ROLLOUT_ID_TAKEN", "roll-out '" + spec.id() + "' exists already");
    }
    if (existing.isEmpty()) {
      for (Rollout other : records.list(100)) {
        if (other.status().active()) {
          throw failure(
              "ROLLOUT_IN_PROGRESS",
              "roll-out '"
                  + other.id()
                  + "' is "
                  + other.status()
                  + "; one roll-out runs at a time");
        }
      }
      steps.checkLease();
      records.create(Rollout.started(spec, job.id(), clock.instant()));
    }
    return drive(job, spec.id(), steps);
  }

  /** The resume command's job: a halted roll-out runs again, its failed orgs synced anew. */
  public JobResult resume(Job job, Command.RolloutResume resume, StepLog steps) {
    Rollout rollout = require(resume.rolloutId());
    boolean ours = job.id().equals(rollout.driverJobId());
    if (rollout.status() == RolloutStatus.HALTED && !ours) {
      steps.checkLease();
      if (!records.update(rollout.resumed(job.id(), clock.instant()))) {
        throw new JobFailedException(
            ErrorInfo.transientError("ROLLOUT_CHANGED", "the roll-out changed meanwhile"),
            null,
            null);
      }
    } else if (!ours && rollout.status().active() && driverGone(rollout)) {
      // Its driver ended without ending the roll-out (e.g. it failed for good on a ledger
      // outage): this resume takes over where it stopped.
      steps.checkLease();
      if (!records.update(rollout.resumed(job.id(), clock.instant()))) {
        throw new JobFailedException(
            ErrorInfo.transientError("ROLLOUT_CHANGED", "the roll-out changed meanwhile"),
            null,
            null);
      }
    } else if (!ours) {
      throw failure(
          rollout.status().active() ? "ROLLOUT_NOT_HALTED" : "ROLLOUT_ENDED",
          "roll-out '" + rollout.id() + "' is " + rollout.status() + "; only a halted one resumes");
    }
    return drive(job, resume.rolloutId(), steps);
  }

  private boolean driverGone(Rollout rollout) {
    return rollout.driverJobId() == null
        || jobs.job(rollout.driverJobId()).map(j -> j.state().isTerminal()).orElse(true);
  }

  /** A halt or an abort: stored at once; the driver, if one runs, ends at its next step. */
  public JobResult stop(Command.RolloutStop stop, StepLog steps) {
    while (true) {
      Rollout rollout = require(stop.rolloutId());
      RolloutStatus before = rollout.status();
      boolean ended = before == RolloutStatus.COMPLETED || before == RolloutStatus.ABORTED;
      if (ended || (!stop.abort() && before == RolloutStatus.HALTED)) {
        if (ended) {
          throw failure("ROLLOUT_ENDED", "roll-out '" + rollout.id() + "' is " + before);
        }
        return stopped(rollout, before);
      }
      RolloutStatus after = stop.abort() ? RolloutStatus.ABORTED : RolloutStatus.HALTED;
      String verb = stop.abort() ? "aborted" : "halted";
      Rollout next =
          rollout.ended(
              after, List.of(verb + " by an operator: " + stop.reason()), clock.instant());
      steps.checkLease();
      if (records.update(next)) {
        return stopped(next, before);
      }
    }
  }

  private JobResult stopped(Rollout rollout, RolloutStatus before) {
    var data = new java.util.LinkedHashMap<String, Object>();
    data.put("rollout_id", rollout.id());
    data.put("status", rollout.status().name());
    data.put("previous_status", before.name());
    return new JobResult("rollout.stop.recorded", data);
  }

  private JobResult drive(Job job, String id, StepLog steps) {
    while (true) {
      Rollout rollout = require(id);
      Instant now = clock.instant();
      if (!job.id().equals(rollout.driverJobId())) {
        // A resume took over after this job's roll-out halted: that one reports from now on.
        return new JobResult("rollout.halted", RolloutSummary.of(rollout));
      }
      switch (rollout.status()) {
        case HALTED:
          return new JobResult("rollout.halted", RolloutSummary.of(rollout));
        case ABORTED:
          return new JobResult("rollout.aborted", RolloutSummary.of(rollout));
        case COMPLETED:
          return new JobResult("rollout.completed", RolloutSummary.of(rollout));
        case BAKING:
          if (now.isBefore(rollout.bakeUntil())) {
            throw waitUntil(min(rollout.bakeUntil(), now.plus(poll)), "baking");
          }
          saveOrNull(rollout.nextWave(now), steps);
          break;
        default:
          Rollout next = step(rollout, now, steps);
          if (next != null && next.status() == RolloutStatus.RUNNING) {
            throw waitUntil(now.plus(poll), "wave " + next.wave() + " in progress");
          }
      }
    }
  }

  /**
   * One look at the current wave: choose its orgs if not yet done, queue what the concurrency
   * allows, then halt, bake or complete once every org of the wave ended. The stored roll-out, or
   * null when a concurrent write (an operator's halt) won.
   */
  private Rollout step(Rollout rollout, Instant now, StepLog steps) {
    WaveRun run = rollout.currentRun();
    boolean changed = false;
    if (run == null) {
      Set<String> earlier = new HashSet<>();
      rollout.waves().forEach(w -> earlier.addAll(w.orgs()));
      run = WaveRun.of(WavePlanner.orgsOf(rollout.spec(), rollout.wave(), fleet.get(), earlier));
      changed = true;
    }
    int open = 0;
    List<String> succeeded = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> drifted = new ArrayList<>();
    // Only the syncs still open are read: at most max_concurrent_orgs of them.
    for (var queuedSync : run.jobs().entrySet()) {
      String org = queuedSync.getKey();
      if (run.ended(org)) {
        continue;
      }
      Job job = jobs.job(queuedSync.getValue()).orElse(null);
      if (job == null || !job.state().isTerminal()) {
        open++;
      } else if (job.state() == JobState.FAILED) {
        failed.add(org);
        if (job.lastError() != null && "NON_ADDITIVE_DRIFT".equals(job.lastError().code())) {
          drifted.add(org);
        }
      } else {
        succeeded.add(org);
      }
    }
    if (!succeeded.isEmpty() || !failed.isEmpty()) {
      run = run.withEnded(succeeded, failed);
      changed = true;
    }
    for (String org : run.orgs()) {
      if (open >= rollout.spec().maxConcurrentOrgs() || !drifted.isEmpty()) {
        break;
      }
      if (!run.jobs().containsKey(org)) {
        steps.checkLease();
        run = run.withJob(org, queue(OrgSlug.parse(org), rollout.id(), rollout.generation(), now));
        open++;
        changed = true;
      }
    }
    Rollout current = rollout.withCurrentRun(run, now);
    if (!drifted.isEmpty()) {
      String why = "non-additive drift in " + String.join(", ", drifted);
      return saveOrNull(current.ended(RolloutStatus.HALTED, List.of(why), now), steps);
    }
    if (open > 0) {
      return changed ? saveOrNull(current, steps) : rollout;
    }
    int failedInWave = run.failed().size();
    double rate = run.orgs().isEmpty() ? 0 : (double) failedInWave / run.orgs().size();
    boolean last = rollout.wave() + 1 >= rollout.spec().waves().size();
    Rollout next;
    if (rate > rollout.spec().maxFailureRate()) {
      String why =
          String.format(
              Locale.ROOT,
              "wave %d: %d of %d orgs failed (%.3f > max_failure_rate %.3f)",
              rollout.wave(),
              failedInWave,
              run.orgs().size(),
              rate,
              rollout.spec().maxFailureRate());
      next = current.ended(RolloutStatus.HALTED, List.of(why), now);
    } else if (last) {
      next = current.ended(RolloutStatus.COMPLETED, List.of(), now);
    } else {
      next = current.baking(now.plus(rollout.spec().bakeTime()), now);
    }
    steps.checkLease();
    announce(next, run, rate, now);
    return saveOrNull(next, steps);
  }

  /** Queues the wave's {@code rollout.wave.completed} (once per roll-out, generation and wave). */
  private void announce(Rollout next, WaveRun run, double rate, Instant now) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("rollout_id", next.id());
    summary.put("wave", next.wave());
    summary.put("wave_count", next.spec().waves().size());
    summary.put("orgs", run.orgs().size());
    summary.put("succeeded", run.succeeded().size());
    summary.put("failed", run.failed().size());
    summary.put("failed_orgs", run.failed());
    summary.put("failure_rate", rate);
    summary.put("max_failure_rate", next.spec().maxFailureRate());
    summary.put(
        "next",
        switch (next.status()) {
          case HALTED -> "halted";
          case COMPLETED -> "completed";
          default -> "bake_then_next_wave";
        });
    if (next.bakeUntil() != null) {
      summary.put("bake_until", next.bakeUntil().toString());
    }
    keys.claim(
        InternalCommands.rolloutWaveEnded(next.id(), next.generation(), next.wave(), summary, now),
        now);
  }

  private String queue(OrgSlug org, String rolloutId, int generation, Instant now) {
    ClaimResult claim =
        keys.claim(InternalCommands.rolloutSync(org, rolloutId, generation, now), now);
    if (claim instanceof ClaimResult.Claimed c) {
      return c.job().id();
    }
    if (claim instanceof ClaimResult.InFlight f) {
      return f.jobId();
    }
    if (claim instanceof ClaimResult.Finished f) {
      return f.jobId();
    }
    throw new IllegalStateException(
        "the roll-out sync's key is taken by job " + ((ClaimResult.Conflict) claim).jobId());
  }

  private Rollout saveOrNull(Rollout next, StepLog steps) {
    steps.checkLease();
    if (!records.update(next)) {
      return null;
    }
    return next.withRevision(next.revision() + 1);
  }

  private Rollout require(String id) {
    return records
        .get(id)
        .orElseThrow(() -> failure("ROLLOUT_NOT_FOUND", "no roll-out '" + id + "'"));
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static JobPostponedException waitUntil(Instant until, String why) {
    return new JobPostponedException(until, why);
  }

  private static JobFailedException failure(String code, String message) {
    return new JobFailedException(ErrorInfo.permanent(code, message), null, null);
  }
}
