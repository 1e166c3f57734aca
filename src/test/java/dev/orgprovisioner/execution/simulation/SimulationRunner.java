package dev.orgprovisioner.execution.simulation;

import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.ledger.memory.InMemoryLedger;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs many seeded schedules. On the first violation it replays the seed with the action count cut
 * down by binary search to the shortest prefix that still fails, and reports that schedule's trace.
 */
final class SimulationRunner {

  /** Lines of a failing trace printed (its end, where the violation is). */
  static final int TRACE_LINES = 400;

  /** What many schedules came to. */
  record Report(SimulationStats stats, Simulation.Outcome failure, String failureText) {
    boolean failed() {
      return failure != null;
    }
  }

  private final SimulationConfig config;
  private final LongFunction<Ledger> ledgers;
  private final UnaryOperator<Ledger> breakage;

  SimulationRunner(
      SimulationConfig config, LongFunction<Ledger> ledgers, UnaryOperator<Ledger> breakage) {
    this.config = config;
    this.ledgers = ledgers;
    this.breakage = breakage;
  }

  /** In-memory ledgers with reproducible job ids: a seed replays exactly. */
  static LongFunction<Ledger> inMemory(SimulationConfig config) {
    return seed -> new InMemoryLedger(config.ledgerSettings(), Simulation.jobIds());
  }

  /** One schedule; the core's log lines are silenced (the trace says what happened). */
  Simulation.Outcome once(long seed, int actions, boolean traced) {
    Logger core = Logger.getLogger("dev.orgprovisioner");
    Level level = core.getLevel();
    core.setLevel(Level.OFF);
    try {
      return new Simulation(
              seed, config.withActions(actions), ledgers.apply(seed), breakage, traced)
          .run();
    } finally {
      core.setLevel(level);
    }
  }

  /** Runs schedules {@code firstSeed, firstSeed+1, …} until one fails or all passed. */
  Report run(long firstSeed, int schedules) {
    SimulationStats total = new SimulationStats();
    for (long seed = firstSeed; seed < firstSeed + schedules; seed++) {
      Simulation.Outcome outcome = once(seed, config.actions(), false);
      total.add(outcome.stats());
      if (outcome.failed()) {
        Simulation.Outcome shortest = shortest(outcome);
        return new Report(total, shortest, describe(shortest));
      }
    }
    return new Report(total, null, null);
  }

  /** The shortest prefix of the failing schedule that still fails, replayed with its trace. */
  Simulation.Outcome shortest(Simulation.Outcome failing) {
    int failingActions = failing.actions();
    int passing = -1;
    while (failingActions - passing > 1) {
      int mid = (passing + failingActions) >>> 1;
      if (once(failing.seed(), mid, false).failed()) {
        failingActions = mid;
      } else {
        passing = mid;
      }
    }
    Simulation.Outcome replay = once(failing.seed(), failingActions, true);
    return replay.failed() ? replay : once(failing.seed(), failing.actions(), true);
  }

  static String describe(Simulation.Outcome outcome) {
    List<String> lines = outcome.trace().lines();
    StringBuilder text = new StringBuilder();
    text.append("SIMULATION VIOLATION ")
        .append(outcome.violation())
        .append("\n  seed=")
        .append(outcome.seed())
        .append(" actions=")
        .append(outcome.actions())
        .append(
            " (shortest failing prefix)\n  replay: ./mvnw -o test -Dtest=ExecutionSimulationTest")
        .append(" -Dsimulation.seed=")
        .append(outcome.seed())
        .append(" -Dsimulation.schedules=1 -Dsimulation.actions=")
        .append(outcome.actions())
        .append("\n  trace (")
        .append(lines.size())
        .append(" lines")
        .append(lines.size() > TRACE_LINES ? ", last " + TRACE_LINES : "")
        .append("):\n");
    lines
        .subList(Math.max(0, lines.size() - TRACE_LINES), lines.size())
        .forEach(line -> text.append("    ").append(line).append('\n'));
    return text.toString();
  }
}
