package dev.orgprovisioner.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code bigquery-cpu} section: worker CPU per onboarding on the BigQuery path, split. */
record BigQueryCpuReport(int orgs, int warmUp, Duration period, int workers, int tableParallelism) {

  /** The buckets of the split, in the order the report lists them. */
  private static final List<CpuBucket> SPLIT =
      List.of(
          CpuBucket.FIRESTORE,
          CpuBucket.PUBSUB,
          CpuBucket.BIGQUERY,
          CpuBucket.PLANNING,
          CpuBucket.OWN,
          CpuBucket.FRAMEWORK);

  void write(
      CpuProfile.Result cpu,
      int finished,
      long wallMs,
      Map<String, Long> bigQueryRequests,
      EmulatorCpu emulators) {
    double total = perOrg(cpu.workerNanos());
    double requests =
        bigQueryRequests.values().stream().mapToLong(Long::longValue).sum() / (double) orgs;
    BenchReport.Section section =
        BenchReport.section(
                "bigquery-cpu",
                "17.4 Worker CPU per onboarding on the BigQuery path: " + orgs + " onboardings")
            .method(method())
            .param("orgs", orgs)
            .param("warm_up_orgs", warmUp)
            .param("sample_period_ms", period.toMillis())
            .param("execution.workers", workers)
            .param("execution.table-parallelism", tableParallelism)
            .figure("finished", finished)
            .figure("wall_ms", wallMs)
            .figure("process_cpu_ms", cpu.processNanos() / 1_000_000)
            .figure("worker_cpu_ms", cpu.workerNanos() / 1_000_000)
            .figure("worker_cpu_ms_per_onboarding", BenchReport.round(total))
            .figure("stub_cpu_ms", cpu.stubNanos() / 1_000_000)
            .figure("harness_cpu_ms", cpu.harnessNanos() / 1_000_000)
            .figure("jfr_cpu_ms", cpu.jfrNanos() / 1_000_000)
            .figure("gc_cpu_ms", cpu.gcNanos() / 1_000_000)
            .figure("jit_cpu_ms", cpu.jitNanos() / 1_000_000)
            .figure("vm_other_cpu_ms", cpu.vmOtherNanos() / 1_000_000)
            .figure("grpc_shared_cpu_ms", cpu.grpcSharedNanos() / 1_000_000)
            .figure("bigquery_requests_per_onboarding", BenchReport.round(requests))
            .figure("machine_cpu_load_mean", BenchReport.round(cpu.machineCpuLoad()))
            .figure("per_thread_times", cpu.perThread());
    for (CpuBucket b : CpuBucket.values()) {
      section.figure(
          "samples_" + b.name().toLowerCase(java.util.Locale.ROOT),
          cpu.samples().getOrDefault(b, 0L));
    }
    section
        .summary(
            "17.4",
            "worker CPU per onboarding on BigQuery (ms), "
                + orgs
                + " orgs; baseline: wall ms per onboarding",
            Math.round(total),
            Math.round((double) wallMs / orgs),
            total / ((double) wallMs / orgs))
        .key("bigquery-cpu/total")
        .goal("reported");
    for (CpuBucket b : SPLIT) {
      double ms = perOrg(cpu.nanos().getOrDefault(b, 0L));
      section
          .summary(
              "17.4",
              "… of it " + b.label + " (ms per onboarding) vs all worker CPU",
              BenchReport.round(ms),
              Math.round(total),
              total == 0 ? null : ms / total)
          .key("bigquery-cpu/" + b.name().toLowerCase(java.util.Locale.ROOT));
    }
    section.lines(table(cpu, total, wallMs, requests, emulators));
    section.lines(requestTable(bigQueryRequests));
    section.write();
  }

  private double perOrg(long nanos) {
    return nanos / 1e6 / orgs;
  }

  private List<String> table(
      CpuProfile.Result cpu, double total, long wallMs, double requests, EmulatorCpu emulators) {
    List<String> lines = new ArrayList<>();
    lines.add("| component | CPU ms per onboarding | share of worker CPU | samples |");
    lines.add("|---|---|---|---|");
    for (CpuBucket b : SPLIT) {
      double ms = perOrg(cpu.nanos().getOrDefault(b, 0L));
      lines.add(
          String.format(
              java.util.Locale.ROOT,
              "| %s | %.1f | %.0f %% | %d |",
              b.label,
              ms,
              total == 0 ? 0 : 100 * ms / total,
              cpu.samples().getOrDefault(b, 0L)));
    }
    lines.add(
        String.format(java.util.Locale.ROOT, "| **worker, all** | **%.1f** | 100 %% | |", total));
    lines.add("");
    lines.add(
        String.format(
            java.util.Locale.ROOT,
            "Within framework / JVM: GC %.1f, JIT %.1f, other VM threads %.1f ms per onboarding"
                + " (from their threads' CPU time). gRPC transport shared by the two gRPC clients:"
                + " %.1f ms per onboarding (%d samples), split into Firestore and Pub/Sub as their"
                + " own samples are.",
            perOrg(cpu.gcNanos()),
            perOrg(cpu.jitNanos()),
            perOrg(cpu.vmOtherNanos()),
            perOrg(cpu.grpcSharedNanos()),
            cpu.samples().getOrDefault(CpuBucket.GRPC_SHARED, 0L)));
    lines.add(
        String.format(
            java.util.Locale.ROOT,
            "Left out: the BigQuery stub %.1f, the harness %.1f, JFR itself %.1f ms per onboarding;"
                + " process CPU %.1f ms per onboarding in all. Wall time of the burst %d ms"
                + " (%.1f onboardings/s); mean machine CPU load during it %.0f %%. BigQuery HTTP"
                + " requests per onboarding: %.1f.",
            perOrg(cpu.stubNanos()),
            perOrg(cpu.harnessNanos()),
            perOrg(cpu.jfrNanos()),
            perOrg(cpu.processNanos()),
            wallMs,
            orgs * 1000.0 / wallMs,
            100 * cpu.machineCpuLoad(),
            requests));
    lines.add(
        String.format(
            java.util.Locale.ROOT,
            "Emulators (other processes, for context): Firestore %.1f, Pub/Sub %.1f CPU ms per"
                + " onboarding.",
            emulators.firestoreMs() / (double) orgs,
            emulators.pubSubMs() / (double) orgs));
    if (!cpu.perThread()) {
      lines.add(
          "No per-thread CPU times on this system (no /proc): the stub and harness are taken out"
              + " by their share of samples; GC and JIT are not separated.");
    }
    lines.add("");
    lines.add("Samples by bucket and thread pool (busiest 15):");
    lines.add("");
    lines.add("| bucket and thread | samples |");
    lines.add("|---|---|");
    cpu.samplesByThread().entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(15)
        .forEach(e -> lines.add("| " + e.getKey() + " | " + e.getValue() + " |"));
    return lines;
  }

  /** BigQuery REST requests per onboarding by API method: what the client's CPU was spent on. */
  private List<String> requestTable(Map<String, Long> requests) {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("BigQuery REST requests of the burst per onboarding, by API method:");
    lines.add("");
    lines.add("| API method | requests per onboarding |");
    lines.add("|---|---|");
    requests.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(
            e ->
                lines.add(
                    String.format(
                        java.util.Locale.ROOT,
                        "| %s | %.1f |",
                        e.getKey(),
                        e.getValue() / (double) orgs)));
    return lines;
  }

  private String method() {
    return "The whole worker in the benchmark JVM (@QuarkusTest) with warehouse.kind=bigquery:"
        + " the real google-cloud-bigquery client against the BigQuery REST stub (in the same"
        + " JVM, on threads of its own), Pub/Sub and Firestore emulators (other processes), no"
        + " DuckDB; central dataset bootstrapped at start. A warm-up burst of "
        + warmUp
        + " onboardings runs first, unmeasured (connections, first writes, most of the JIT's"
        + " work); then "
        + orgs
        + " org.onboard.requested commands (one per org) are published at once and the burst"
        + " ends when every org.onboarded has arrived at a subscriber of the events topic. CPU:"
        + " the process's CPU time over the burst (getProcessCpuTime), less the CPU of the"
        + " stub's threads, the harness's threads (test thread, its publisher and subscriber)"
        + " and JFR's threads, each read from /proc/self/task/<tid>/schedstat; GC, JIT and other"
        + " VM threads likewise, counted as framework / JVM. The Java threads' remainder is split"
        + " by a JFR recording of jdk.ExecutionSample every "
        + period.toMillis()
        + " ms: each sample goes to the first frame from the top of its stack in a known package"
        + " (com.google.cloud.firestore / com.google.firestore → Firestore; com.google.cloud.pubsub"
        + " / com.google.pubsub → Pub/Sub; com.google.cloud.bigquery → BigQuery client;"
        + " dev.orgprovisioner.plan and .catalog → planning; other dev.orgprovisioner → own code;"
        + " Quarkus, Vert.x, SmallRye, JBoss, Netty, Micrometer → framework); gRPC / gax frames"
        + " are passed over to the client frame below them, google-http-client frames count as"
        + " BigQuery client when nothing below says otherwise; stacks with no telling frame go"
        + " by thread name (gRPC's shared threads → gRPC transport, split between Firestore and"
        + " Pub/Sub in the ratio of their own samples; any other → framework / JVM). Stub frames"
        + " (BigQueryStub, the JDK HTTP server) anywhere in a stack make it the stub's. Baseline"
        + " of the total row: wall milliseconds per onboarding of the same burst (CPU / wall ="
        + " cores the worker kept busy). CPU-seconds are far less noisy than wall time on a"
        + " shared machine, but a loaded machine still inflates them somewhat (cache misses,"
        + " more JIT and GC work per unit).";
  }
}
