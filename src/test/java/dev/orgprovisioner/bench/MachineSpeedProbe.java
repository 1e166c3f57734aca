package dev.orgprovisioner.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed piece of work timed in the calling thread's CPU: how fast this machine runs right now.
 */
final class MachineSpeedProbe {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  // Sorting touches 2 MiB, beyond the core's caches, like DuckDB's catalog work: a neighbour
  // that slows memory shows here as well as one that takes cycles.
  private static final int[] INPUT = new SplittableRandom(17).ints(1 << 19).toArray();

  private static volatile int sink;

  static {
    for (int i = 0; i < 5; i++) {
      cpuMillis();
    }
  }

  private MachineSpeedProbe() {}

  /** The probe's work, done once now: the CPU time it took this thread, in ms. */
  static double cpuMillis() {
    long start = THREADS.getCurrentThreadCpuTime();
    int[] copy = Arrays.copyOf(INPUT, INPUT.length);
    Arrays.sort(copy);
    sink = copy[copy.length / 2];
    return (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
  }

  /**
   * The probes of one fleet of {@code orgs}: one before the first org and one at the bound of each
   * {@code window}; the process CPU they took is kept so the fleet's figures can leave it out.
   */
  static final class Series {
    private final double[] at;
    private final int window;
    private final AtomicLong cpuMillis = new AtomicLong();

    Series(int orgs, int window) {
      this.at = new double[orgs + 1];
      this.window = window;
      Arrays.fill(at, Double.NaN);
      at[0] = medianCpuMillis(3);
    }

    /** Probes after the n-th org when it is a window's bound (distinct n may come from threads). */
    void after(int n) {
      if (isProbePoint(n, at.length - 1, window)) {
        long before = RawDdlBaseline.processCpuMillis();
        at[n] = medianCpuMillis(3);
        cpuMillis.addAndGet(RawDdlBaseline.processCpuMillis() - before);
      }
    }

    /** Process CPU the probes took so far, in ms. */
    long cpuMillis() {
      return cpuMillis.get();
    }

    /** Each org's probe (NaN where none was taken). */
    double[] values() {
      return at;
    }
  }

  /** Whether the n-th of {@code orgs} is a bound of the first or last window or of a window. */
  static boolean isProbePoint(int n, int orgs, int window) {
    return n % window == 0 || n == orgs - window || n == orgs;
  }

  /**
   * The probe's time over the last window against the first (each the mean of the probes at its
   * bounds): above 1 the machine itself ran slower at the end.
   */
  static double slowdown(double[] probeAt, int window) {
    int orgs = probeAt.length - 1;
    double first = (probeAt[0] + probeAt[window]) / 2;
    double last = (probeAt[orgs - window] + probeAt[orgs]) / 2;
    return last / first;
  }

  /** The median of {@code runs} probes: one probe is at the mercy of a single interruption. */
  static double medianCpuMillis(int runs) {
    double[] each = new double[runs];
    for (int i = 0; i < runs; i++) {
      each[i] = cpuMillis();
    }
    Arrays.sort(each);
    return each[runs / 2];
  }
}
