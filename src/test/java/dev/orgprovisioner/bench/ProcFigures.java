package dev.orgprovisioner.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Figures of another process from {@code /proc} (Linux): resident memory from {@code status}, CPU
 * time (user + system) from {@code stat} for a process and all its descendants.
 */
final class ProcFigures {

  private ProcFigures() {}

  /** VmRSS of {@code pid}, in KiB. */
  static long rssKiB(long pid) {
    return status(pid, "VmRSS");
  }

  /** VmHWM (the highest VmRSS so far) of {@code pid}, in KiB. */
  static long hwmKiB(long pid) {
    return status(pid, "VmHWM");
  }

  /**
   * CPU time of {@code root} and every live descendant, in milliseconds (the Firestore emulator is
   * a script whose Java child does the work).
   */
  static long cpuMillis(ProcessHandle root) {
    return Stream.concat(Stream.of(root), root.descendants())
        .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toMillis).orElse(0L))
        .sum();
  }

  /** The 1-minute load average of the machine. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long status(long pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith(key + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + pid + "/status", e);
    }
    throw new IllegalStateException(key + " not in /proc/" + pid + "/status");
  }
}
