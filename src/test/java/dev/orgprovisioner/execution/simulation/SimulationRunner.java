package dev.orgprovisioner.execution.simulation;

import dev.orgprovisioner.execution.DaemonThreads;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.ledger.memory.InMemoryLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs many seeded schedules. On the first violation it replays the seed with the action count cut
 * down by binary search to the shortest prefix that still fails, and reports that schedule's trace.
 */
final class SimulationRunner {

  /** Schedules run at once: {@code -Dsimulation.threads}, else one per core. */
  static final int THREADS =
      Integer.getInteger("simulation.threads", Runtime.getRuntime().availableProcessors());

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
    return silenced(() -> simulate(seed, actions, traced));
  }

  private Simulation.Outcome simulate(long seed, int actions, boolean traced) {
    return new Simulation(seed, config.withActions(actions), ledgers.apply(seed), breakage, traced)
        .run();
  }

  private static <T> T silenced(Supplier<T> work) {
    Logger core = Logger.getLogger("dev.orgprovisioner");
    Level level = core.getLevel();
    core.setLevel(Level.OFF);
    try {
      return work.get();
    } finally {
      core.setLevel(level);
    }
  }

  /**
   * Runs schedules {@code firstSeed, firstSeed+1, …} until one fails or all passed, on {@link
   * #THREADS} threads: each schedule is single-threaded and depends on its seed alone, so the
   * report is the one a sequential run gives — the lowest failing seed, and the stats of the seeds
   * up to it.
   */
  Report run(long firstSeed, int schedules) {
    Simulation.Outcome[] outcomes = new Simulation.Outcome[schedules];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger firstFailure = new AtomicInteger(schedules);
    Runnable worker =
        () -> {
          for (int i = next.getAndIncrement(); i < firstFailure.get(); i = next.getAndIncrement()) {
            Simulation.Outcome outcome = simulate(firstSeed + i, config.actions(), false);
            outcomes[i] = outcome;
            if (outcome.failed()) {
              firstFailure.accumulateAndGet(i, Math::min);
            }
          }
        };
    silenced(
        () -> {
          ExecutorService threads =
              Executors.newFixedThreadPool(THREADS, DaemonThreads.named("simulation"));
          try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
              running.add(threads.submit(worker));
            }
            for (Future<?> f : running) {
              f.get();
            }
          } catch (ExecutionException e) {
            throw new IllegalStateException("a schedule crashed", e.getCause());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          } finally {
            threads.shutdownNow();
          }
          return null;
        });
    SimulationStats total = new SimulationStats();
    int last = Math.min(firstFailure.get(), schedules - 1);
    for (int i = 0; i <= last; i++) {
      total.add(outcomes[i].stats());
    }
    if (firstFailure.get() < schedules) {
      Simulation.Outcome shortest = shortest(outcomes[firstFailure.get()]);
      return new Report(total, shortest, describe(shortest));
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
