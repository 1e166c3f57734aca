package dev.orgprovisioner.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Section "worker-startup" of the bench report: what {@link WorkerStartupBenchIT} measured. */
record WorkerStartupReport(
    String flags,
    WorkerStartupBenchIT.Start start,
    Map.Entry<Duration, OnboardingBurst.Cpu> bootstrap,
    long rssIdleKiB,
    OnboardingBurst.Result load,
    long hwmKiB,
    Duration stop) {

  void write(OptionalDouble rawDdlOrgsPerSecond) {
    double peakOverIdle = (double) load.peakRssKiB() / rssIdleKiB;
    int n = load.orgs();
    BenchReport.Section section =
        BenchReport.section(
                "worker-startup", "5. Worker start-up, memory and a burst of onboardings")
            .method(method())
            .param("load_orgs", n)
            .param("jvm_flags", flags)
            .figure("load_average_at_start", start.loadAverage())
            .figure(
                "archive_training_ms",
                start.archiveTraining() == null ? null : start.archiveTraining().toMillis())
            .figure("start_to_ready_ms", start.readyMs())
            .figure("first_start_to_ready_cold_emulators_ms", start.coldReadyMs())
            .figure("cpu_to_ready_ms", start.cpuMs())
            .figure("quarkus_reported_started_s", start.quarkusStartedSeconds())
            .figure("bootstrap_ms", bootstrap.getKey().toMillis())
            .figure("bootstrap_worker_cpu_ms", bootstrap.getValue().workerMs())
            .figure("rss_at_ready_mib", start.rssKiB() >> 10)
            .figure("rss_idle_mib", rssIdleKiB >> 10)
            .figure("rss_burst_peak_mib", load.peakRssKiB() >> 10)
            .figure("rss_burst_mean_mib", load.meanRssKiB() >> 10)
            .figure("rss_samples", load.samples())
            .figure("vm_hwm_mib", hwmKiB >> 10)
            .figure("burst_ms", load.millis())
            .figure("burst_orgs_per_s", BenchReport.round(load.orgsPerSecond()))
            .figure("worker_cpu_ms_per_onboarding", perOrg(load.total().workerMs(), n))
            .figure("emulators_cpu_ms_per_onboarding", perOrg(load.total().emulatorsMs(), n))
            .figure("stop_on_sigterm_ms", stop.toMillis())
            .ratio("rss_burst_peak_over_idle", peakOverIdle)
            .summary(
                "17.2",
                "worker start-up to ready, bootstrap off (ms; goal ≤ 2,000)",
                start.readyMs(),
                null,
                null)
            .summary("17.2", "worker CPU to ready, bootstrap off (ms)", start.cpuMs(), null, null)
            .summary(
                "17.2",
                "bootstrap as a command on the ready worker, reported apart (ms)",
                bootstrap.getKey().toMillis(),
                null,
                null)
            .summary("17.2", "idle RSS (MiB; goal ≤ 200)", rssIdleKiB >> 10, null, null)
            .summary(
                "17.2",
                "peak RSS during the burst of " + n + " onboardings vs idle (MiB; goal ≤ 2×)",
                load.peakRssKiB() >> 10,
                rssIdleKiB >> 10,
                peakOverIdle);
    throughputRow(section, rawDdlOrgsPerSecond);
    if (load.firstHundred() != null) {
      double first = load.firstHundred().workerMs() / (double) OnboardingBurst.WINDOW;
      double last = load.lastHundred().workerMs() / (double) OnboardingBurst.WINDOW;
      section
          .figure("worker_cpu_ms_per_onboarding_first_100", BenchReport.round(first))
          .figure("worker_cpu_ms_per_onboarding_last_100", BenchReport.round(last))
          .figure(
              "emulators_cpu_ms_per_onboarding_first_100",
              perOrg(load.firstHundred().emulatorsMs(), OnboardingBurst.WINDOW))
          .figure(
              "emulators_cpu_ms_per_onboarding_last_100",
              perOrg(load.lastHundred().emulatorsMs(), OnboardingBurst.WINDOW))
          .ratio("worker_cpu_last_100_over_first_100", last / first)
          .summary(
              "17.1",
              "packaged worker: CPU per onboarding, last 100 vs first 100 of "
                  + n
                  + " (ms; goal ≤ 1.2×)",
              Math.round(last),
              Math.round(first),
              last / first);
    }
    section.lines(table(rawDdlOrgsPerSecond)).write();
  }

  /** Throughput of the burst, against the raw-DDL loop of the same run once that is wired. */
  private void throughputRow(BenchReport.Section section, OptionalDouble raw) {
    double ours = load.orgsPerSecond();
    String what = "packaged worker: onboarding throughput, burst of " + load.orgs() + " (orgs/s";
    if (raw.isEmpty()) {
      section.summary("17.1", what + ")", BenchReport.round(ours), null, null);
      return;
    }
    double baseline = raw.getAsDouble();
    section
        .figure("raw_ddl_orgs_per_s", BenchReport.round(baseline))
        .ratio("burst_over_raw_ddl", ours / baseline)
        .summary(
            "17.1",
            what + " vs the raw-DDL loop; goal ≥ 0.5×)",
            BenchReport.round(ours),
            BenchReport.round(baseline),
            ours / baseline);
  }

  private static double perOrg(long ms, int orgs) {
    return BenchReport.round((double) ms / orgs);
  }

  private String method() {
    return "The packaged worker (`java … -jar target/worker/org-provisioner-runner.jar` with "
        + flags
        + "; the class-data archive is written first by"
        + " one `cds-training` start, as run-local and the image do) started as its own process"
        + " with Pub/Sub and Firestore emulators started by the benchmark (topology created"
        + " beforehand, as Terraform does in production), a DuckDB file warehouse and"
        + " bootstrap-on-start off. The worker is started twice: the first start (reported"
        + " apart) takes the emulators' slow first answers, as production's services are warm;"
        + " the second, once the emulators use under 5 % of a core over a second (their JIT"
        + " compilers go on after the first start; at most 60 s), is measured and goes on."
        + " Start-up = from ProcessBuilder.start() to the first 200 UP of"
        + " /q/health/ready (polled every 20 ms; readiness reads Firestore and the warehouse);"
        + " CPU to ready = the worker's utime+stime then. Bootstrap = a"
        + " central.bootstrap.requested command published to the ready worker until its"
        + " central.bootstrapped event. Idle RSS = VmRSS once settled (every 250 ms, at least 30 s"
        + " after the bootstrap, until 5 s vary by ≤ 1 MiB). Burst: the first "
        + OnboardingBurst.WINDOW
        + " onboardings published at once and awaited, then the rest at once; throughput from the"
        + " first publish to the last org.onboarded; RSS sampled every 100 ms meanwhile; CPU"
        + " (utime+stime of the worker, and of both emulators with their child processes) per"
        + " onboarding over the first 100 (their intake included) and the last 100 completions.";
  }

  private List<String> table(OptionalDouble raw) {
    List<String> rows = new ArrayList<>();
    rows.add("| measurement | value |");
    rows.add("|---|---|");
    rows.add("| JVM flags | " + flags + " |");
    if (start.archiveTraining() != null) {
      rows.add(
          "| class-data archive training (once per build) | "
              + start.archiveTraining().toMillis()
              + " ms |");
    }
    rows.add("| start → /q/health/ready UP (bootstrap off) | " + start.readyMs() + " ms |");
    rows.add(
        "| the first start before it, the emulators' first answers | "
            + start.coldReadyMs()
            + " ms |");
    rows.add("| worker CPU until ready | " + start.cpuMs() + " ms |");
    rows.add(
        "| Quarkus' own \"started in\" | "
            + BenchReport.fmt(start.quarkusStartedSeconds())
            + " s |");
    rows.add("| load average (1 min) at start | " + start.loadAverage() + " |");
    rows.add(
        "| bootstrap (command → central.bootstrapped) | "
            + bootstrap.getKey().toMillis()
            + " ms, worker CPU "
            + bootstrap.getValue().workerMs()
            + " ms |");
    rows.add(
        "| RSS at ready / idle (settled, after bootstrap) | "
            + (start.rssKiB() >> 10)
            + " / "
            + (rssIdleKiB >> 10)
            + " MiB |");
    rows.add(
        "| RSS during the burst, mean / peak | "
            + (load.meanRssKiB() >> 10)
            + " / "
            + (load.peakRssKiB() >> 10)
            + " MiB |");
    rows.add("| VmHWM after the burst | " + (hwmKiB >> 10) + " MiB |");
    rows.add(
        "| burst of "
            + load.orgs()
            + " onboardings | "
            + load.millis()
            + " ms, "
            + BenchReport.fmt(BenchReport.round(load.orgsPerSecond()))
            + " orgs/s |");
    rows.add(
        "| raw-DDL baseline (same run) | "
            + (raw.isPresent()
                ? BenchReport.fmt(BenchReport.round(raw.getAsDouble())) + " orgs/s"
                : "not wired yet")
            + " |");
    rows.add(
        "| CPU per onboarding, worker / emulators (whole burst) | "
            + perOrg(load.total().workerMs(), load.orgs())
            + " / "
            + perOrg(load.total().emulatorsMs(), load.orgs())
            + " ms |");
    if (load.firstHundred() != null) {
      rows.add(
          "| CPU per onboarding, first 100: worker / emulators | "
              + perOrg(load.firstHundred().workerMs(), 100)
              + " / "
              + perOrg(load.firstHundred().emulatorsMs(), 100)
              + " ms |");
      rows.add(
          "| CPU per onboarding, last 100: worker / emulators | "
              + perOrg(load.lastHundred().workerMs(), 100)
              + " / "
              + perOrg(load.lastHundred().emulatorsMs(), 100)
              + " ms |");
    }
    rows.add("| stop on SIGTERM | " + stop.toMillis() + " ms |");
    return rows;
  }
}
