package dev.orgprovisioner.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time of this process and of each of its threads, JVM-internal ones included (GC, JIT), from
 * {@code /proc/self/task/<tid>/schedstat} (nanoseconds on the CPU) and {@code comm} (the thread's
 * name, cut to 15 characters). Linux only; elsewhere only the process total is known.
 */
record ThreadCpu(long processNanos, Map<Long, Task> tasks) {

  /** One thread: its name and its CPU time so far. */
  record Task(String name, long nanos) {}

  static ThreadCpu now() {
    long process =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    Map<Long, Task> tasks = new HashMap<>();
    Path dir = Path.of("/proc/self/task");
    if (Files.isDirectory(dir)) {
      try (Stream<Path> list = Files.list(dir)) {
        list.forEach(
            t ->
                read(t)
                    .ifPresent(
                        task -> tasks.put(Long.parseLong(t.getFileName().toString()), task)));
      } catch (IOException e) {
        // A listing that fails leaves the per-thread figures empty; the process total stands.
      }
    }
    return new ThreadCpu(process, tasks);
  }

  private static java.util.Optional<Task> read(Path task) {
    try {
      String name = Files.readString(task.resolve("comm")).strip();
      String schedstat = Files.readString(task.resolve("schedstat")).strip();
      return java.util.Optional.of(new Task(name, Long.parseLong(schedstat.split("\\s+")[0])));
    } catch (IOException | RuntimeException e) {
      // The thread ended between the listing and the read.
      return java.util.Optional.empty();
    }
  }

  /** Whether per-thread times were readable. */
  boolean perThread() {
    return !tasks.isEmpty();
  }

  /** CPU of the process since {@code before}. */
  long processSince(ThreadCpu before) {
    return processNanos - before.processNanos;
  }

  /**
   * CPU since {@code before} of the threads alive now whose name matches (a thread started since
   * counts from zero; one that ended is not seen, its time stays in the process total).
   */
  long since(ThreadCpu before, Predicate<String> name) {
    long sum = 0;
    for (Map.Entry<Long, Task> e : tasks.entrySet()) {
      if (name.test(e.getValue().name())) {
        Task then = before.tasks.get(e.getKey());
        long start = then != null && then.name().equals(e.getValue().name()) ? then.nanos() : 0;
        sum += Math.max(0, e.getValue().nanos() - start);
      }
    }
    return sum;
  }
}
