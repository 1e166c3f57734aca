package dev.orgprovisioner.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class CpuProfileTest {

  private static final Predicate<String> STUB = n -> n.startsWith("bq-stub-");
  private static final Predicate<String> HARNESS = n -> n.equals("main");
  private final CpuSampleClassifier classifier = new CpuSampleClassifier(STUB, HARNESS);

  @Test
  void aSampleGoesToTheFirstFrameFromTheTopInAKnownPackage() {
    assertThat(
            classifier.classify(
                "executor-thread-1",
                List.of(
                    "java.util.HashMap",
                    "com.google.protobuf.CodedOutputStream",
                    "com.google.cloud.firestore.Transaction",
                    "dev.orgprovisioner.ledger.FirestoreIdempotencyKeys")))
        .isEqualTo(CpuBucket.FIRESTORE);
    assertThat(
            classifier.classify(
                "worker-1",
                List.of(
                    "java.lang.String",
                    "dev.orgprovisioner.plan.Planner",
                    "dev.orgprovisioner.provisioning.ProvisioningService")))
        .isEqualTo(CpuBucket.PLANNING);
    assertThat(
            classifier.classify(
                "worker-1",
                List.of("com.fasterxml.jackson.Foo", "dev.orgprovisioner.ledger.LedgerDocs")))
        .isEqualTo(CpuBucket.OWN);
  }

  @Test
  void transportFramesPassToTheClientBelowOrElseCountAsTheirTransport() {
    assertThat(
            classifier.classify(
                "grpc-default-executor-0",
                List.of("io.grpc.internal.ClientCallImpl", "com.google.cloud.pubsub.v1.Publisher")))
        .isEqualTo(CpuBucket.PUBSUB);
    assertThat(
            classifier.classify(
                "grpc-nio-worker-ELG-1-2",
                List.of("io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoop")))
        .isEqualTo(CpuBucket.GRPC_SHARED);
    assertThat(
            classifier.classify(
                "bigquery-metadata-1",
                List.of("sun.net.www.http.HttpClient", "com.google.api.client.http.HttpRequest")))
        .isEqualTo(CpuBucket.BIGQUERY);
    assertThat(classifier.classify("Common-Cleaner", List.of("java.lang.ref.ReferenceQueue")))
        .isEqualTo(CpuBucket.FRAMEWORK);
  }

  @Test
  void theStubAndTheHarnessAreNotTheWorkers() {
    assertThat(classifier.classify("bq-stub-3", List.of("java.util.TreeMap")))
        .isEqualTo(CpuBucket.STUB);
    assertThat(
            classifier.classify(
                "pool-1-thread-1",
                List.of("java.util.TreeMap", "sun.net.httpserver.ServerImpl$Exchange")))
        .isEqualTo(CpuBucket.STUB);
    assertThat(classifier.classify("main", List.of("com.google.cloud.pubsub.v1.Publisher")))
        .isEqualTo(CpuBucket.HARNESS);
  }

  @Test
  void workerCpuIsTheProcessLessStubHarnessAndJfr_splitBySamples_withGcAndJitInFramework() {
    ThreadCpu before =
        new ThreadCpu(
            0,
            Map.of(
                1L, new ThreadCpu.Task("bq-stub-1", 0),
                2L, new ThreadCpu.Task("main", 0),
                3L, new ThreadCpu.Task("GC Thread#0", 0),
                4L, new ThreadCpu.Task("C2 CompilerThre", 0),
                5L, new ThreadCpu.Task("JFR Periodic Ta", 0)));
    ThreadCpu after =
        new ThreadCpu(
            1_000,
            Map.of(
                1L, new ThreadCpu.Task("bq-stub-1", 100),
                2L, new ThreadCpu.Task("main", 50),
                3L, new ThreadCpu.Task("GC Thread#0", 30),
                4L, new ThreadCpu.Task("C2 CompilerThre", 20),
                5L, new ThreadCpu.Task("JFR Periodic Ta", 0),
                6L, new ThreadCpu.Task("worker-1", 700)));
    Map<CpuBucket, Long> samples = new EnumMap<>(CpuBucket.class);
    samples.put(CpuBucket.FIRESTORE, 30L);
    samples.put(CpuBucket.PUBSUB, 10L);
    samples.put(CpuBucket.GRPC_SHARED, 20L);
    samples.put(CpuBucket.OWN, 20L);
    samples.put(CpuBucket.STUB, 99L);

    CpuProfile.Result r =
        CpuProfile.Result.of(
            before, after, samples, new TreeMap<>(), new TreeMap<>(), 0.5, STUB, HARNESS);

    // 1000 - stub 100 - harness 50 = 850 worker; GC + JIT 50 of it; 800 split over 80 samples.
    assertThat(r.workerNanos()).isEqualTo(850);
    assertThat(r.stubNanos()).isEqualTo(100);
    assertThat(r.harnessNanos()).isEqualTo(50);
    assertThat(r.grpcSharedNanos()).isEqualTo(200);
    assertThat(r.nanos())
        .containsEntry(CpuBucket.FIRESTORE, 300L + 150)
        .containsEntry(CpuBucket.PUBSUB, 100L + 50)
        .containsEntry(CpuBucket.OWN, 200L)
        .containsEntry(CpuBucket.FRAMEWORK, 50L)
        .doesNotContainKeys(CpuBucket.GRPC_SHARED, CpuBucket.STUB, CpuBucket.HARNESS);
    assertThat(r.nanos().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(850);
  }
}
