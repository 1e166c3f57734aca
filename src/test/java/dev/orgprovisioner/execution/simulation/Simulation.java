package dev.orgprovisioner.execution.simulation;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.execution.IntakeDecision;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.port.Ledger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * One seeded schedule: instances sharing one ledger and one warehouse, driven by a single thread
 * that picks random actions — publish, work, sweep, heartbeat, advance the clock, kill, start an
 * instance — some of them nested inside warehouse calls and sleeps. Then faults stop and the
 * schedule drains; then the checker looks at the end state. Same seed and action count, same run.
 */
final class Simulation implements RecordingWarehouse.Interleaver {

  static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final CommandDecoder DECODER =
      CommandDecoder.fromClasspath(
          Simulation.class.getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);

  /** What came of a schedule. */
  record Outcome(long seed, int actions, Violation violation, SimulationStats stats, Trace trace) {
    boolean failed() {
      return violation != null;
    }
  }

  private final long seed;
  private final SimulationConfig config;
  private final SplittableRandom random;
  private final VirtualClock clock = new VirtualClock(START);
  private final SimulationStats stats = new SimulationStats();
  private final Trace trace;
  private final Ledger truth;
  private final World world;
  private final CommandFeed feed;
  private final List<SimInstance> instances = new ArrayList<>();
  private boolean chaos = true;
  private int depth;

  /**
   * @param truth the shared ledger, empty
   * @param breakage wraps the ledger the instances see (identity, or a deliberately broken one)
   */
  Simulation(
      long seed,
      SimulationConfig config,
      Ledger truth,
      UnaryOperator<Ledger> breakage,
      boolean traced) {
    this.seed = seed;
    this.config = config;
    this.random = new SplittableRandom(seed);
    this.trace = new Trace(traced, clock);
    this.truth = truth;
    FinishLog finishes = new FinishLog(breakage.apply(truth));
    FaultPlan faults = new FaultPlan(random.split(), config, stats);
    InvariantChecker checker = new InvariantChecker(truth, finishes, config.callTimeout());
    RecordingWarehouse warehouse =
        new RecordingWarehouse(
            clock, config.callTimeout(), faults, random.split(), checker, stats, trace);
    warehouse.interleaveWith(this);
    this.world =
        new World(config, clock, finishes, warehouse, faults, checker, stats, trace, this, DECODER);
    this.feed = new CommandFeed(random.split(), config.orgs());
    for (int i = 0; i < config.instances(); i++) {
      startInstance();
    }
  }

  /** Job ids of the in-memory ledger: reproducible, in creation order. */
  static java.util.function.Supplier<String> jobIds() {
    int[] n = {0};
    return () -> {
      String digits = Integer.toString(++n[0]);
      return "job-" + "0".repeat(Math.max(0, 4 - digits.length())) + digits;
    };
  }

  Outcome run() {
    stats.schedules = 1;
    try {
      for (int i = 0; i < config.actions(); i++) {
        stats.actions++;
        step();
      }
      drain();
      redeliverAll();
      drain();
      List<Job> jobs = InvariantChecker.allJobs(truth);
      stats.jobs = jobs.size();
      world.checker().checkTerminalEvents(jobs);
      world.checker().checkRows(jobs, world.warehouse());
      world.checker().checkOrgOrder(jobs);
      return finish(null);
    } catch (Violation.Found found) {
      trace.add(0, "VIOLATION " + found.violation());
      return finish(found.violation());
    }
  }

  private Outcome finish(Violation violation) {
    stats.virtualTime = clock.elapsed();
    return new Outcome(seed, config.actions(), violation, stats, trace);
  }

  // ------------------------------------------------------------------ the scheduler

  @Override
  public int depth() {
    return depth;
  }

  /** Inside a warehouse call or a sleep: maybe let a few other actions run first. */
  @Override
  public void interleave(String where) {
    if (!chaos || depth >= config.maxDepth() || random.nextDouble() >= config.nestProbability()) {
      return;
    }
    depth++;
    stats.maxDepth = Math.max(stats.maxDepth, depth);
    trace.add(depth - 1, "… " + where + ":");
    try {
      for (int n = 1 + random.nextInt(3); n > 0; n--) {
        step();
      }
    } finally {
      depth--;
    }
  }

  private void step() {
    List<SimInstance> live = instances.stream().filter(SimInstance::alive).toList();
    if (live.isEmpty() || (live.size() < config.instances() && random.nextInt(100) < 3)) {
      startInstance();
      return;
    }
    SimInstance at = live.get(random.nextInt(live.size()));
    int roll = random.nextInt(1000);
    if (roll < 150) {
      deliver(at, feed.fresh());
    } else if (roll < 180 && feed.hasSent()) {
      deliver(at, feed.duplicate());
    } else if (roll < 230 && feed.hasSent()) {
      deliver(at, feed.redelivery());
    } else if (roll < 240 && feed.hasSent()) {
      deliver(at, feed.conflicting());
    } else if (roll < 560) {
      if (at.hasFreeWorker()) {
        act(at, "workOnce", at::workOnce);
      } else {
        act(at, "heartbeatOnce (workers busy)", () -> at.pool().heartbeatOnce());
      }
    } else if (roll < 660) {
      act(at, "sweepOnce", () -> at.pool().sweepOnce());
    } else if (roll < 790) {
      act(at, "heartbeatOnce", () -> at.pool().heartbeatOnce());
    } else if (roll < 960) {
      advance(Duration.ofMillis(10 + random.nextInt(800)));
    } else if (roll < 1000 - (int) (config.killRate() * 1000)) {
      advance(config.leaseDuration().plusMillis(random.nextInt(5000)));
    } else {
      stats.kills++;
      trace.add(depth, "KILL " + at.name());
      at.kill();
    }
  }

  private void advance(Duration by) {
    trace.add(depth, "clock +" + by.toMillis() + "ms");
    clock.advance(by);
  }

  private void startInstance() {
    SimInstance instance = new SimInstance("i" + (instances.size() + 1), world, random.split());
    instances.add(instance);
    stats.instancesStarted++;
    trace.add(depth, "START " + instance.name());
  }

  private void deliver(SimInstance at, CommandFeed.Message message) {
    stats.commands++;
    act(
        at,
        trace.enabled() ? "deliver " + message.describe() : "deliver",
        () -> {
          IntakeDecision decision =
              at.intake()
                  .handle(
                      message.messageId(),
                      message.attributes(),
                      message.data(),
                      message.orderingKey());
          trace.add(depth + 1, () -> "→ " + describe(decision));
          world.checker().decided(message, decision);
          if (decision instanceof IntakeDecision.Enqueued e) {
            at.pool().dispatch(e.job());
          } else if (decision instanceof IntakeDecision.Republish r) {
            at.relay().publish(r.event());
          }
        });
  }

  private static String describe(IntakeDecision decision) {
    if (decision instanceof IntakeDecision.Enqueued e) {
      return "enqueued " + e.job().id();
    }
    if (decision instanceof IntakeDecision.AlreadyInFlight f) {
      return "in flight: " + f.jobId();
    }
    if (decision instanceof IntakeDecision.Republish r) {
      return "republish " + (r.event() == null ? "null" : r.event().type());
    }
    return "rejected " + ((IntakeDecision.Reject) decision).rejection().code();
  }

  /** Work an instance's threads do; they survive exceptions, not their JVM's death. */
  private interface Work {
    void run() throws Exception;
  }

  private void act(SimInstance at, String what, Work work) {
    trace.add(depth, () -> at.name() + " " + what);
    try {
      work.run();
    } catch (InstanceDied died) {
      if (!died.instance().equals(at.name()) || at.alive()) {
        throw new AssertionError("simulation bug: " + died.getMessage(), died);
      }
      trace.add(depth, at.name() + " died during " + what);
    } catch (Violation.Found found) {
      throw found;
    } catch (Exception e) {
      trace.add(depth, at.name() + " " + what + " threw " + e);
    }
  }

  // ------------------------------------------------------------------ faults stop: (d)

  private void drain() {
    chaos = false;
    world.faults().stop();
    trace.add(0, "FAULTS STOPPED: draining");
    if (instances.stream().noneMatch(SimInstance::alive)) {
      startInstance();
    }
    List<SimInstance> live = instances.stream().filter(SimInstance::alive).toList();
    for (int round = 0; ; round++) {
      if (round > 0 && settled()) {
        stats.drainRounds = Math.max(stats.drainRounds, round);
        break;
      }
      if (round >= config.drainRounds()) {
        List<String> open =
            InvariantChecker.allJobs(truth).stream()
                .filter(j -> !j.state().isTerminal())
                .map(j -> j.id() + " " + j.state() + " attempts " + j.attempts())
                .toList();
        InvariantChecker.fail(
            'd',
            "faults stopped, yet after "
                + round
                + " drain rounds ("
                + clock.elapsed()
                + " virtual) jobs are not terminal "
                + open
                + " or events unpublished "
                + truth.unpublished(10).size());
      }
      for (SimInstance at : live) {
        act(at, "sweepOnce", () -> at.pool().sweepOnce());
        for (int n = 0; n < 20; n++) {
          boolean[] worked = {false};
          act(at, "workOnce", () -> worked[0] = at.workOnce());
          if (!worked[0]) {
            break;
          }
        }
        act(at, "heartbeatOnce", () -> at.pool().heartbeatOnce());
      }
      advance(Duration.ofMillis(250));
    }
  }

  /** Every message delivered again: each is answered with its job's one terminal event. */
  private void redeliverAll() {
    trace.add(0, "REDELIVER every message");
    SimInstance at = instances.stream().filter(SimInstance::alive).findFirst().orElseThrow();
    for (CommandFeed.Message message : feed.sent()) {
      deliver(at, message);
    }
  }

  private boolean settled() {
    return InvariantChecker.allJobs(truth).stream().allMatch(j -> j.state().isTerminal())
        && truth.unpublished(1).isEmpty();
  }
}
