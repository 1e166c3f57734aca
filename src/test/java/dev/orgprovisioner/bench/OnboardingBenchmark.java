package dev.orgprovisioner.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.provisioning.Environment;
import dev.orgprovisioner.provisioning.PlanApplier;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.ProvisioningSettings;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.FaultyWarehouse;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Onboarding latency with a fixed delay per warehouse metadata call, our bounded-parallel plan
 * application against strictly sequential application (one call at a time, as the old system did),
 * and warehouse calls per onboarding and per no-op sync against the floor.
 */
@Tag("bench")
class OnboardingBenchmark {

  private static final Catalog CATALOG = CatalogFixtures.project();
  private static final Duration DELAY = Duration.ofMillis(200);

  private record Run(long millis, int calls) {}

  private Run provision(String org, int parallelism) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallelism));
    try (DuckDbWarehouse duck = new DuckDbWarehouse(":memory:")) {
      FaultyWarehouse wh = new FaultyWarehouse(duck);
      ProvisioningService service =
          new ProvisioningService(
              CATALOG,
              wh,
              new ProvisioningSettings(Environment.LOCAL, "EU"),
              new PlanApplier(wh, pool, parallelism));
      service.bootstrap(false);
      wh.delay(DELAY);
      int before = wh.metadataCalls.get();
      long start = System.nanoTime();
      service.syncOrg(OrgSlug.parse(org), false);
      long millis = (System.nanoTime() - start) / 1_000_000;
      return new Run(millis, wh.metadataCalls.get() - before);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void onboardingLatency_parallelVersusSequential() {
    List<Long> ours = new ArrayList<>();
    List<Long> sequential = new ArrayList<>();
    int calls = 0;
    for (int i = 0; i < 3; i++) {
      Run p = provision("bench_p" + i, 10);
      Run s = provision("bench_s" + i, 1);
      ours.add(p.millis());
      sequential.add(s.millis());
      calls = p.calls();
    }
    long oursMedian = ours.stream().sorted().toList().get(1);
    long seqMedian = sequential.stream().sorted().toList().get(1);
    int tables = CATALOG.org().tables().size();
    int views = CATALOG.org().views().size();

    int floor = 2 + tables + views;
    BenchReport.section(
            "onboarding-latency",
            "2b. Dataset provisioning in-process with "
                + DELAY.toMillis()
                + " ms per metadata call")
        .method(
            "No Pub/Sub, no queue: ProvisioningService.syncOrg of a new org directly on DuckDB"
                + " behind a decorator that adds a fixed delay to every snapshot and plan step; the"
                + " org's plan (1 dataset, "
                + tables
                + " tables, "
                + views
                + " views) applied with 10 parallel table calls (PlanApplier, as"
                + " execution.table-parallelism=10) vs one call at a time (parallelism 1);"
                + " median of 3 runs each. Item 2 measures the same through the whole worker.")
        .param("delay_per_metadata_call_ms", DELAY.toMillis())
        .param("table_parallelism", 10)
        .param("runs", 3)
        .figure("parallel_runs_ms", ours)
        .figure("sequential_runs_ms", sequential)
        .figure("parallel_median_ms", oursMedian)
        .figure("sequential_median_ms", seqMedian)
        .figure("metadata_calls_per_onboarding", calls)
        .ratio("sequential_over_parallel", (double) seqMedian / oursMedian)
        .summary(
            "2",
            "one org's provisioning in-process (ms, median) vs one call at a time",
            oursMedian,
            seqMedian,
            (double) oursMedian / seqMedian)
        .calls("onboarding (in-process provisioning of a new org)", calls, floor, null)
        .lines(
            List.of(
                "| mode | runs (ms) | median (ms) |",
                "|---|---|---|",
                "| ours (parallel 10) | " + ours + " | " + oursMedian + " |",
                "| sequential | " + sequential + " | " + seqMedian + " |",
                "",
                String.format("Ratio sequential / ours: %.1f×", (double) seqMedian / oursMedian),
                "Metadata calls per provisioning: "
                    + calls
                    + " (floor: 1 snapshot + 1 dataset + "
                    + tables
                    + " tables + "
                    + views
                    + " views = "
                    + floor
                    + ")"))
        .write();
    assertThat(calls).isGreaterThan(0);
  }

  @Test
  void warehouseCalls_perNoopSync() {
    try (DuckDbWarehouse duck = new DuckDbWarehouse(":memory:")) {
      FaultyWarehouse wh = new FaultyWarehouse(duck);
      ProvisioningService service =
          new ProvisioningService(CATALOG, wh, new ProvisioningSettings(Environment.LOCAL, "EU"));
      service.bootstrap(false);
      service.syncOrg(OrgSlug.parse("noop_org"), false);
      int before = wh.calls.get();
      service.syncOrg(OrgSlug.parse("noop_org"), false);
      int noop = wh.calls.get() - before;

      int perTable = 2 + CATALOG.org().tables().size() + CATALOG.org().views().size();
      BenchReport.section("noop-sync-calls", "3b. Warehouse calls per no-op sync")
          .method(
              "Sync of an org that already matches the catalog (DuckDB), counting every"
                  + " warehouse call, reads and writes. Per-table reads: datasets.get + tables.list"
                  + " + one tables.get per table or view.")
          .figure("calls", noop)
          .figure("per_table_reads", perTable)
          .ratio("per_table_over_ours", (double) perTable / noop)
          .summary(
              "3",
              "warehouse calls per no-op sync vs per-table reads",
              noop,
              perTable,
              (double) noop / perTable)
          .calls("no-op sync of one org", noop, 1, (long) perTable)
          .line("Calls: " + noop + " (target ≤ 2; floor 1 snapshot)")
          .write();
      assertThat(noop).isPositive();
    }
  }
}
