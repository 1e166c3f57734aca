package dev.orgprovisioner.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where this process's CPU goes while something runs: a JFR recording of execution samples (each
 * put in a {@link CpuBucket} by {@link CpuSampleClassifier}) scaled to the CPU time the Java
 * threads used, plus the JVM's own threads (GC, JIT, VM) read from {@code /proc}, with the stub's,
 * the harness's and JFR's threads taken out.
 */
final class CpuProfile implements AutoCloseable {

  /** JVM-internal thread names (as {@code comm} shows them) by what they do. */
  static final Predicate<String> GC =
      n -> n.startsWith("GC Thread") || n.startsWith("G1 ") || n.startsWith("VM Thread");

  static final Predicate<String> JIT =
      n ->
          n.startsWith("C1 CompilerThre")
              || n.startsWith("C2 CompilerThre")
              || n.startsWith("Sweeper");
  static final Predicate<String> VM_OTHER =
      n ->
          n.startsWith("VM Periodic")
              || n.startsWith("Service Thread")
              || n.startsWith("Monitor Deflati")
              || n.startsWith("Notification Th")
              || n.startsWith("Signal Dispatch");
  static final Predicate<String> JFR = n -> n.startsWith("JFR ");

  private final Duration period;
  private final Predicate<String> stubThread;
  private final Predicate<String> harnessThread;
  private final Recording recording = new Recording();
  private ThreadCpu before;

  /**
   * @param stubThread names of the stub's threads, as Java and as {@code comm} (15 characters) name
   *     them
   * @param harnessThread names of the benchmark's own threads
   */
  CpuProfile(Duration period, Predicate<String> stubThread, Predicate<String> harnessThread) {
    this.period = period;
    this.stubThread = stubThread;
    this.harnessThread = harnessThread;
  }

  void start() {
    recording.enable("jdk.ExecutionSample").withPeriod(period);
    recording.enable("jdk.CPULoad").withPeriod(Duration.ofSeconds(1));
    recording.setToDisk(true);
    before = ThreadCpu.now();
    recording.start();
  }

  /** Stops the recording and attributes the CPU used since {@link #start}. */
  Result stop() {
    recording.stop();
    ThreadCpu after = ThreadCpu.now();
    Map<CpuBucket, Long> samples = new EnumMap<>(CpuBucket.class);
    Map<String, Long> threads = new TreeMap<>();
    Map<String, Long> leaves = new TreeMap<>();
    double machineLoad = 0;
    int loadEvents = 0;
    CpuSampleClassifier classifier = new CpuSampleClassifier(stubThread, harnessThread);
    try {
      Path file = Files.createTempFile("bench-cpu", ".jfr");
      try {
        recording.dump(file);
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
          String type = e.getEventType().getName();
          if (type.equals("jdk.CPULoad")) {
            machineLoad += e.getFloat("machineTotal");
            loadEvents++;
          } else if (type.equals("jdk.ExecutionSample")) {
            String thread =
                e.getThread("sampledThread") == null
                    ? ""
                    : e.getThread("sampledThread").getJavaName();
            List<String> frames =
                e.getStackTrace() == null
                    ? List.of()
                    : e.getStackTrace().getFrames().stream()
                        .map(RecordedFrame::getMethod)
                        .map(m -> m.getType().getName())
                        .toList();
            CpuBucket bucket = classifier.classify(thread, frames);
            samples.merge(bucket, 1L, Long::sum);
            threads.merge(bucket + " " + poolName(thread), 1L, Long::sum);
            if (e.getStackTrace() != null && !e.getStackTrace().getFrames().isEmpty()) {
              var leaf = e.getStackTrace().getFrames().get(0).getMethod();
              leaves.merge(
                  bucket + " " + leaf.getType().getName() + "." + leaf.getName(), 1L, Long::sum);
            }
          }
        }
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Result.of(
        before,
        after,
        samples,
        threads,
        leaves,
        loadEvents == 0 ? Double.NaN : machineLoad / loadEvents,
        stubThread,
        harnessThread);
  }

  /** A thread's name without its number, so a pool's threads count together. */
  static String poolName(String thread) {
    return thread.replaceAll("\\d+", "N");
  }

  @Override
  public void close() {
    recording.close();
  }

  /**
   * The attribution: nanoseconds of worker CPU per bucket (gRPC transport split between Firestore
   * and Pub/Sub by their own samples; GC, JIT and VM threads in framework / JVM) and what was left
   * out.
   */
  record Result(
      Map<CpuBucket, Long> nanos,
      long workerNanos,
      long processNanos,
      long stubNanos,
      long harnessNanos,
      long jfrNanos,
      long gcNanos,
      long jitNanos,
      long vmOtherNanos,
      long grpcSharedNanos,
      Map<CpuBucket, Long> samples,
      Map<String, Long> samplesByThread,
      Map<String, Long> samplesByLeafMethod,
      double machineCpuLoad,
      boolean perThread) {

    static Result of(
        ThreadCpu before,
        ThreadCpu after,
        Map<CpuBucket, Long> samples,
        Map<String, Long> threads,
        Map<String, Long> leaves,
        double machineLoad,
        Predicate<String> stubThread,
        Predicate<String> harnessThread) {
      long process = after.processSince(before);
      long all = samples.values().stream().mapToLong(Long::longValue).sum();
      long stub;
      long harness;
      long jfr;
      long gc;
      long jit;
      long vm;
      if (after.perThread()) {
        stub = after.since(before, stubThread);
        harness = after.since(before, harnessThread);
        jfr = after.since(before, JFR);
        gc = after.since(before, GC);
        jit = after.since(before, JIT);
        vm = after.since(before, VM_OTHER);
      } else {
        // No per-thread times: the samples' shares stand for the threads' (no GC or JIT known).
        stub = all == 0 ? 0 : process * samples.getOrDefault(CpuBucket.STUB, 0L) / all;
        harness = all == 0 ? 0 : process * samples.getOrDefault(CpuBucket.HARNESS, 0L) / all;
        jfr = gc = jit = vm = 0;
      }
      long java = Math.max(0, process - stub - harness - jfr - gc - jit - vm);
      long workerSamples =
          samples.entrySet().stream()
              .filter(e -> e.getKey().worker())
              .mapToLong(Map.Entry::getValue)
              .sum();
      Map<CpuBucket, Long> nanos = new EnumMap<>(CpuBucket.class);
      for (CpuBucket b : CpuBucket.values()) {
        if (b.worker()) {
          long n = samples.getOrDefault(b, 0L);
          nanos.put(b, workerSamples == 0 ? 0 : Math.round((double) java * n / workerSamples));
        }
      }
      long shared = nanos.remove(CpuBucket.GRPC_SHARED);
      long fs = samples.getOrDefault(CpuBucket.FIRESTORE, 0L);
      long ps = samples.getOrDefault(CpuBucket.PUBSUB, 0L);
      long toFirestore = fs + ps == 0 ? shared / 2 : Math.round((double) shared * fs / (fs + ps));
      nanos.merge(CpuBucket.FIRESTORE, toFirestore, Long::sum);
      nanos.merge(CpuBucket.PUBSUB, shared - toFirestore, Long::sum);
      nanos.merge(CpuBucket.FRAMEWORK, gc + jit + vm, Long::sum);
      return new Result(
          nanos,
          java + gc + jit + vm,
          process,
          stub,
          harness,
          jfr,
          gc,
          jit,
          vm,
          shared,
          samples,
          threads,
          leaves,
          machineLoad,
          after.perThread());
    }
  }
}
