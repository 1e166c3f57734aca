package dev.orgprovisioner.bench;

import java.util.List;

/**
 * Where a CPU sample of the worker goes: by the first stack frame (from the top) in a known
 * package, else by its thread. Samples in gRPC's transport shared by both gRPC clients are split
 * later between Firestore and Pub/Sub; the stub and the benchmark's own threads are not the
 * worker's.
 */
enum CpuBucket {
  FIRESTORE("Firestore client", List.of("com.google.cloud.firestore.", "com.google.firestore.")),
  PUBSUB("Pub/Sub client", List.of("com.google.cloud.pubsub.", "com.google.pubsub.")),
  BIGQUERY(
      "BigQuery client",
      List.of("com.google.cloud.bigquery.", "com.google.api.services.bigquery.")),
  PLANNING(
      "planning (plan, catalog)",
      List.of("dev.orgprovisioner.plan.", "dev.orgprovisioner.catalog.")),
  OWN("own code (other dev.orgprovisioner)", List.of("dev.orgprovisioner.")),
  FRAMEWORK(
      "framework / JVM (Quarkus, Vert.x, JDK; GC, JIT)",
      List.of(
          "io.quarkus.",
          "io.vertx.",
          "io.smallrye.",
          "org.jboss.",
          "io.netty.",
          "io.micrometer.",
          "org.eclipse.microprofile.")),
  /** gRPC / gax transport frames with no client frame below them (both clients share it). */
  GRPC_SHARED("gRPC transport, shared by Firestore and Pub/Sub", List.of()),
  STUB("BigQuery REST stub (not production, excluded)", List.of()),
  HARNESS("benchmark harness (excluded)", List.of());

  final String label;
  final List<String> packages;

  CpuBucket(String label, List<String> packages) {
    this.label = label;
    this.packages = packages;
  }

  /** Whether the bucket is the worker's own CPU (not the stub's or the harness's). */
  boolean worker() {
    return this != STUB && this != HARNESS;
  }
}
