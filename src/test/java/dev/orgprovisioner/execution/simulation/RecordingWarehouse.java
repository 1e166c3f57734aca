package dev.orgprovisioner.execution.simulation;

import dev.orgprovisioner.execution.JobFence;
import dev.orgprovisioner.execution.JobLease;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The shared warehouse: datasets and keyed central rows, and a log of every call with the job and
 * epoch that made it. A call takes virtual time, and while it is "inside" the warehouse other
 * actions may run (other instances interleave with it; the clock may move: a slow call). A call
 * longer than the call timeout fails as a transient timeout at that point, unapplied.
 */
final class RecordingWarehouse {

  /** A central row and who wrote it last. */
  record Row(String org, String jobId, long epoch, Map<String, Object> values) {}

  /** Lets the scheduler run other actions while a call is in progress. */
  interface Interleaver {
    void interleave(String where);

    /** How deeply nested the running action is (for the trace). */
    int depth();
  }

  private final VirtualClock clock;
  private final Duration timeout;
  private final FaultPlan faults;
  private final SplittableRandom random;
  private final InvariantChecker checker;
  private final SimulationStats stats;
  private final Trace trace;
  private Interleaver interleaver;
  private long seq;
  private final Set<String> datasets = new LinkedHashSet<>();
  private final Map<String, Integer> datasetUpdates = new LinkedHashMap<>();
  private final Map<String, Map<String, Row>> tables = new LinkedHashMap<>();

  RecordingWarehouse(
      VirtualClock clock,
      Duration timeout,
      FaultPlan faults,
      SplittableRandom random,
      InvariantChecker checker,
      SimulationStats stats,
      Trace trace) {
    this.clock = clock;
    this.timeout = timeout;
    this.faults = faults;
    this.random = random;
    this.checker = checker;
    this.stats = stats;
    this.trace = trace;
  }

  void interleaveWith(Interleaver interleaver) {
    this.interleaver = interleaver;
  }

  /**
   * One call by {@code instance} about {@code org}. The effect is applied at the end of the call
   * (or, for an instance killed during it, maybe — the request may have reached the warehouse).
   */
  <T> T call(SimInstance instance, String op, String org, Supplier<T> effect) {
    instance.checkAlive();
    JobLease fence =
        JobFence.current()
            .orElseThrow(() -> new IllegalStateException("warehouse call outside a job: " + op));
    Instant start = clock.instant();
    WarehouseCall call =
        new WarehouseCall(
            ++seq, instance.name(), fence.jobId(), fence.lease().epoch(), org, op, start);
    stats.calls++;
    int depth = interleaver.depth();
    trace.add(depth, () -> "call " + call);
    checker.callStarted(call);
    Instant end = null;
    try {
      clock.advance(Duration.ofMillis(5 + random.nextInt(300)));
      interleaver.interleave(trace.enabled() ? "inside call #" + call.seq() : "");
      boolean inTime = !clock.instant().isAfter(start.plus(timeout));
      if (!instance.alive()) {
        if (inTime && random.nextBoolean()) {
          effect.get();
        }
        end = start.plus(timeout);
        throw new InstanceDied(instance.name());
      }
      if (!inTime) {
        stats.callTimeouts++;
        end = start.plus(timeout);
        throw new WarehouseException(
            WarehouseException.Kind.TRANSIENT, op + " timed out after " + timeout);
      }
      FaultPlan.WarehouseFault fault = faults.warehouse();
      switch (fault) {
        case PERMANENT ->
            throw new WarehouseException(
                WarehouseException.Kind.PERMANENT, "injected: " + op + " is invalid");
        case TRANSIENT_BEFORE ->
            throw new WarehouseException(
                WarehouseException.Kind.TRANSIENT, "injected: 503 before " + op);
        default -> {}
      }
      T result = effect.get();
      if (fault == FaultPlan.WarehouseFault.TRANSIENT_AFTER) {
        throw new WarehouseException(
            WarehouseException.Kind.TRANSIENT, "injected: 503 after " + op + " was applied");
      }
      return result;
    } catch (RuntimeException | InstanceDied e) {
      trace.add(depth, () -> "call #" + call.seq() + " failed: " + e.getMessage());
      throw e;
    } finally {
      checker.callEnded(call, end == null ? clock.instant() : end);
    }
  }

  // ------------------------------------------------------------------ effects (no time passes)

  void createDataset(String dataset) {
    datasets.add(dataset);
  }

  void updateDataset(String dataset) {
    datasetUpdates.merge(dataset, 1, Integer::sum);
  }

  void upsert(String table, String key, Row row) {
    tables.computeIfAbsent(table, t -> new LinkedHashMap<>()).put(key, row);
  }

  Row row(String table, String key) {
    return tables.getOrDefault(table, Map.of()).get(key);
  }

  /** Rows of a table for one org, by key. */
  Map<String, Row> rows(String table, String org) {
    Map<String, Row> found = new LinkedHashMap<>();
    tables
        .getOrDefault(table, Map.of())
        .forEach(
            (key, row) -> {
              if (row.org().equals(org)) {
                found.put(key, row);
              }
            });
    return found;
  }

  boolean hasDataset(String dataset) {
    return datasets.contains(dataset);
  }
}
