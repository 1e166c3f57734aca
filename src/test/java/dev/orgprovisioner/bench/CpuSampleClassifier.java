package dev.orgprovisioner.bench;

import java.util.List;
import java.util.function.Predicate;

/**
 * Puts one execution sample (its thread's name and its stack's class names, top frame first) into a
 * {@link CpuBucket}: the stub's and the harness's threads and frames first, then the first frame
 * from the top in a known package, then transport frames met on the way (gRPC / gax for the two
 * gRPC clients, google-http-client for BigQuery's), then the thread's name.
 */
final class CpuSampleClassifier {

  /** Frames that belong to whichever client called them: keep walking, remember the hint. */
  private static final List<String> GRPC_TRANSPORT =
      List.of("io.grpc.", "com.google.api.gax.grpc.", "com.google.api.gax.rpc.");

  private static final List<String> HTTP_TRANSPORT = List.of("com.google.api.client.");

  private static final List<String> STUB_FRAMES =
      List.of(
          "dev.orgprovisioner.warehouse.bigquery.BigQueryStub",
          "dev.orgprovisioner.warehouse.bigquery.Stub",
          "sun.net.httpserver.",
          "com.sun.net.httpserver.");

  private final Predicate<String> stubThread;
  private final Predicate<String> harnessThread;

  /**
   * @param stubThread names of the stub's threads (its executor and the HTTP server's dispatcher)
   * @param harnessThread names of the benchmark's own threads (test thread, its publisher)
   */
  CpuSampleClassifier(Predicate<String> stubThread, Predicate<String> harnessThread) {
    this.stubThread = stubThread;
    this.harnessThread = harnessThread;
  }

  CpuBucket classify(String thread, List<String> frames) {
    String name = thread == null ? "" : thread;
    if (stubThread.test(name) || frames.stream().anyMatch(f -> startsWith(f, STUB_FRAMES))) {
      return CpuBucket.STUB;
    }
    if (harnessThread.test(name)) {
      return CpuBucket.HARNESS;
    }
    CpuBucket hint = null;
    for (String frame : frames) {
      for (CpuBucket b : CpuBucket.values()) {
        if (startsWith(frame, b.packages)) {
          return b;
        }
      }
      if (hint == null && startsWith(frame, GRPC_TRANSPORT)) {
        hint = CpuBucket.GRPC_SHARED;
      } else if (hint == null && startsWith(frame, HTTP_TRANSPORT)) {
        hint = CpuBucket.BIGQUERY;
      }
    }
    if (hint != null) {
      return hint;
    }
    return byThread(name);
  }

  /** A stack with no telling frame (JDK, Netty's loop, protobuf alone): its thread decides. */
  private static CpuBucket byThread(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    if (n.contains("firestore")) {
      return CpuBucket.FIRESTORE;
    }
    if (n.contains("pubsub") || n.contains("subscriber") || n.contains("publisher")) {
      return CpuBucket.PUBSUB;
    }
    if (n.contains("bigquery")) {
      return CpuBucket.BIGQUERY;
    }
    if (n.startsWith("grpc-") || n.startsWith("gax-")) {
      return CpuBucket.GRPC_SHARED;
    }
    return CpuBucket.FRAMEWORK;
  }

  private static boolean startsWith(String frame, List<String> prefixes) {
    for (String p : prefixes) {
      if (frame.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}
