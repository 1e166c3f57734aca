package dev.orgprovisioner.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.catalog.TableDef;
import dev.orgprovisioner.catalog.ViewDef;
import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.ledger.FirestoreLedger;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.ObservedTable;
import dev.orgprovisioner.plan.ObservedView;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.provisioning.DriftChecker;
import dev.orgprovisioner.provisioning.Environment;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.ProvisioningSettings;
import dev.orgprovisioner.provisioning.RecordedDataset;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.SharedEmulators;
import dev.orgprovisioner.warehouse.Warehouse;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Drift check of a simulated fleet: a warehouse that synthesises, on demand, the snapshot of each
 * org's dataset from the full org catalog (every 10th org misses a column), so 10,000 orgs cost no
 * disk; measures duration, peak heap and warehouse calls.
 */
@Tag("bench")
class DriftCheckBenchmark {

  private static final int ORGS = Integer.getInteger("bench.drift.orgs", 10_000);

  /** A fleet that exists only as the snapshots it returns. */
  private static final class SimulatedFleet implements Warehouse {
    private final ProvisioningService service;
    private final int orgs;
    final AtomicInteger calls = new AtomicInteger();

    SimulatedFleet(Catalog catalog, int orgs) {
      this.orgs = orgs;
      this.service =
          new ProvisioningService(catalog, this, new ProvisioningSettings(Environment.PROD, "EU"));
    }

    static String org(int i) {
      return String.format("org_%05d", i);
    }

    @Override
    public Dialect dialect() {
      return Dialect.BIGQUERY;
    }

    @Override
    public String viewSql(PlanStep.CreateOrReplaceView view) {
      return view.view().templateFor(Dialect.BIGQUERY);
    }

    @Override
    public Optional<ObservedDataset> freshSnapshot(String dataset) {
      return Optional.ofNullable(bulkSnapshot(List.of(dataset)).get(dataset));
    }

    @Override
    public Map<String, ObservedDataset> bulkSnapshot(Collection<String> datasets) {
      calls.incrementAndGet();
      Map<String, ObservedDataset> out = new LinkedHashMap<>();
      for (String dataset : datasets) {
        if (dataset.equals("organizations")) {
          out.put(dataset, observed(service.desiredCentral(), false));
        } else {
          String slug = dataset.substring(0, dataset.length() - "_prod".length());
          int n = Integer.parseInt(slug.substring(4));
          out.put(
              dataset,
              observed(service.desiredOrg(OrgSlug.parse(slug), RecordedDataset.NONE), n % 10 == 0));
        }
      }
      return out;
    }

    private static ObservedDataset observed(DesiredDataset d, boolean drifted) {
      Map<String, ObservedTable> tables = new LinkedHashMap<>();
      for (TableDef t : d.catalog().tables()) {
        List<Column> columns = new ArrayList<>(t.columns());
        if (drifted && tables.isEmpty()) {
          // A drifted org lacks the last nullable column of its first table.
          columns.stream()
              .filter(c -> c.mode() == dev.orgprovisioner.catalog.FieldMode.NULLABLE)
              .reduce((a, b) -> b)
              .ifPresent(columns::remove);
        }
        tables.put(
            t.name(),
            new ObservedTable(
                t.name(),
                t.description(),
                columns,
                t.partitioning(),
                t.clustering(),
                d.tableLabels(t)));
      }
      Map<String, ObservedView> views = new LinkedHashMap<>();
      for (ViewDef v : d.catalog().views()) {
        views.put(v.name(), new ObservedView(v.name(), v.description(), d.viewLabels(v)));
      }
      return new ObservedDataset(
          d.name(), d.catalog().description(), "EU", d.datasetLabels(), tables, views);
    }

    @Override
    public List<String> managedDatasets() {
      calls.incrementAndGet();
      List<String> out = new ArrayList<>();
      for (int i = 0; i < orgs; i++) {
        out.add(org(i) + "_prod");
      }
      return out;
    }

    @Override
    public void apply(PlanStep step) {
      throw new UnsupportedOperationException("a drift check does not change datasets");
    }

    @Override
    public void insertRows(String dataset, String table, List<Map<String, Object>> rows) {}

    @Override
    public void deleteDataset(String dataset) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<String> authorizedDatasets(String dataset) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void changeAuthorizedDatasets(
        String dataset, Collection<String> authorize, Collection<String> revoke) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void undeleteDataset(String dataset) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<dev.orgprovisioner.plan.AccessEntry> accessEntries(String dataset) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void changeAccess(
        String dataset,
        Collection<dev.orgprovisioner.plan.AccessEntry> grant,
        Collection<dev.orgprovisioner.plan.AccessEntry> revoke) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void upsertRows(
        String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {}

    @Override
    public List<Map<String, Object>> selectRows(
        String dataset, String table, Map<String, Object> equalTo, int limit) {
      calls.incrementAndGet();
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = 0; i < orgs; i++) {
        rows.add(Map.of("org_slug", org(i), "status", "ACTIVE"));
      }
      return rows;
    }
  }

  private record Measured(int orgs, long millis, int calls, long heapBefore, long peakHeap) {}

  /** One drift check of {@code orgs} simulated orgs, with its duration, calls and peak heap. */
  private static Measured measure(Catalog catalog, int orgs, String id) throws Exception {
    SimulatedFleet fleet = new SimulatedFleet(catalog, orgs);
    ProvisioningService service =
        new ProvisioningService(catalog, fleet, new ProvisioningSettings(Environment.PROD, "EU"));
    try (var db = SharedEmulators.firestoreClient()) {
      FirestoreLedger ledger = SharedEmulators.freshLedger(db, "drift", Duration.ofSeconds(60));
      Job job = checkJob(ledger, id);
      DriftChecker checker = checker(service, ledger);

      System.gc();
      List<MemoryPoolMXBean> heap =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(p -> p.getType() == MemoryType.HEAP)
              .toList();
      heap.forEach(MemoryPoolMXBean::resetPeakUsage);
      long before = used(heap);
      long start = System.nanoTime();
      Map<String, Object> summary = checker.run(job, new Command.DriftCheck(List.of(), true));
      long millis = (System.nanoTime() - start) / 1_000_000;
      long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      assertThat(summary.get("orgs_checked")).isEqualTo(orgs);
      return new Measured(orgs, millis, fleet.calls.get(), before, peak);
    }
  }

  @Test
  void driftCheckOfASimulatedFleet() throws Exception {
    Catalog catalog = CatalogFixtures.project();
    int small = Math.max(1, ORGS / 10);
    // Warm-up on the small fleet so the JIT does not bill its work to the baseline.
    measure(catalog, small, "bench-drift-warmup");
    Measured base = measure(catalog, small, "bench-drift-small");
    Measured big = measure(catalog, ORGS, "bench-drift");
    int tables = catalog.org().tables().size();
    int views = catalog.org().views().size();
    int centralObjects = catalog.central().tables().size() + catalog.central().views().size();

    BenchReport.section("drift-check", "4. Drift check of " + ORGS + " simulated orgs")
        .method(
            "A warehouse that synthesises each org's snapshot from the full org catalog ("
                + tables
                + " tables, "
                + views
                + " views; every 10th org misses a column), so 10,000 orgs cost no disk; the"
                + " DriftChecker compares orgs in chunks of 200 and writes drift.detected events"
                + " and up to 50 repair jobs to the Firestore emulator. Baseline: the same check of"
                + " a fleet ten times smaller, run just before (after a warm-up run), to show"
                + " that memory does not grow with the fleet while time does. Peak heap = sum of"
                + " the heap pools' peak usage during the run, after a System.gc() and a reset of"
                + " the peaks; the benchmark JVM runs with -Xmx1g.")
        .param("orgs", ORGS)
        .param("baseline_orgs", small)
        .param("chunk_size", 200)
        .param("max_repairs", 50)
        .figure("duration_ms", big.millis())
        .figure("peak_heap_mib", big.peakHeap() >> 20)
        .figure("heap_before_mib", big.heapBefore() >> 20)
        .figure("warehouse_calls", big.calls())
        .figure("baseline_duration_ms", base.millis())
        .figure("baseline_peak_heap_mib", base.peakHeap() >> 20)
        .ratio("duration_over_baseline", (double) big.millis() / Math.max(1, base.millis()))
        .ratio("peak_heap_over_baseline", (double) big.peakHeap() / Math.max(1, base.peakHeap()))
        .summary(
            "4",
            "drift check of " + ORGS + " orgs: duration (ms) vs " + small + " orgs",
            big.millis(),
            base.millis(),
            (double) big.millis() / Math.max(1, base.millis()))
        .summary(
            "4",
            "drift check of " + ORGS + " orgs: peak heap (MiB) vs " + small + " orgs",
            big.peakHeap() >> 20,
            base.peakHeap() >> 20,
            (double) big.peakHeap() / Math.max(1, base.peakHeap()))
        .calls(
            "drift check of " + ORGS + " orgs (simulated fleet)",
            big.calls(),
            3 + (ORGS + 199) / 200,
            (long) ORGS * (2 + tables + views) + 2 + centralObjects + 2)
        .lines(
            List.of(
                "| orgs | duration (ms) | warehouse calls | heap before (MiB) | peak heap (MiB) |",
                "|---|---|---|---|---|",
                row(base),
                row(big)))
        .write();
  }

  private static String row(Measured m) {
    return String.format(
        "| %d | %d | %d | %d | %d |",
        m.orgs(), m.millis(), m.calls(), m.heapBefore() >> 20, m.peakHeap() >> 20);
  }

  @Test
  void driftCheckOfARealDuckDbFleet() throws Exception {
    int orgs = Integer.getInteger("bench.drift.duckdb.orgs", 300);
    Catalog catalog = CatalogFixtures.project();
    // A folder of dataset files, as the embedded warehouse runs (the local profile's): in memory
    // every dataset stays attached, and DuckDB's catalog functions pass over all of them.
    java.nio.file.Path folder = BenchReport.DIR.resolve("drift-duckdb-warehouse");
    dev.orgprovisioner.testing.Folders.deleteTree(folder);
    try (var duck = new dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse(folder.toString());
        var db = SharedEmulators.firestoreClient()) {
      dev.orgprovisioner.testing.FaultyWarehouse counted =
          new dev.orgprovisioner.testing.FaultyWarehouse(duck);
      ProvisioningService service =
          new ProvisioningService(
              catalog, counted, new ProvisioningSettings(Environment.PROD, "EU"));
      service.bootstrap(false);
      long buildStart = System.nanoTime();
      for (int i = 0; i < orgs; i++) {
        String org = SimulatedFleet.org(i);
        duck.upsertRows(
            "organizations",
            "org_profiles",
            List.of("org_slug"),
            List.of(
                Map.of(
                    "org_slug",
                    org,
                    "company_name",
                    "Org " + i,
                    "admin_email",
                    "admin@" + org + ".example",
                    "org_dataset_id",
                    org + "_prod",
                    "status",
                    "ACTIVE",
                    "created_at",
                    java.time.Instant.now())));
        service.syncOrg(OrgSlug.parse(org), false);
        if (i % 10 == 0) {
          duck.execute("ALTER TABLE " + org + "_prod.subscription_plans DROP COLUMN updated_at");
        }
      }
      long buildMs = (System.nanoTime() - buildStart) / 1_000_000;
      FirestoreLedger ledger = SharedEmulators.freshLedger(db, "duckdrift", Duration.ofSeconds(60));
      Job job = checkJob(ledger, "bench-duck-drift");
      DriftChecker checker = checker(service, ledger);
      int callsBefore = counted.calls.get();
      long start = System.nanoTime();
      Map<String, Object> summary = checker.run(job, new Command.DriftCheck(List.of(), true));
      long millis = (System.nanoTime() - start) / 1_000_000;

      int calls = counted.calls.get() - callsBefore;
      BenchReport.section("drift-check-duckdb", "4b. Drift check of " + orgs + " orgs on DuckDB")
          .method(
              "A real DuckDB fleet in a folder of dataset files (each org provisioned through the planner with the full org"
                  + " catalog; every 10th org lost a column by hand), checked in chunks of 200"
                  + " through the DuckDB adapter's bulk snapshot. Building the fleet took "
                  + buildMs
                  + " ms, which is why the 10,000 orgs of item 4 are simulated instead.")
          .param("orgs", orgs)
          .param("chunk_size", 200)
          .figure("duration_ms", millis)
          .figure("warehouse_calls", calls)
          .figure("fleet_build_ms", buildMs)
          .calls(
              "drift check of " + orgs + " orgs (DuckDB)",
              calls,
              3 + (orgs + 199) / 200,
              (long) orgs * (2 + catalog.org().tables().size() + catalog.org().views().size())
                  + 2
                  + catalog.central().tables().size()
                  + catalog.central().views().size()
                  + 2)
          .lines(
              List.of(
                  "| orgs | duration (ms) | warehouse calls |",
                  "|---|---|---|",
                  String.format("| %d | %d | %d |", orgs, millis, calls),
                  "",
                  "Summary: "
                      + summary.get("counts")
                      + ", repairs queued "
                      + summary.get("repairs_queued")))
          .write();
      assertThat(summary.get("orgs_checked")).isEqualTo(orgs);
    }
  }

  private static DriftChecker checker(ProvisioningService service, FirestoreLedger ledger) {
    return new DriftChecker(
        service,
        ledger,
        new EventFactory("//bench"),
        Clock.systemUTC(),
        new DriftChecker.Settings(50, 200));
  }

  private static Job checkJob(FirestoreLedger ledger, String id) {
    var envelope =
        ((DecodeResult.Accepted)
                CommandDecoder.fromClasspath(DriftCheckBenchmark.class.getClassLoader(), 64 * 1024)
                    .decode(
                        Map.of(
                            "ce-specversion", "1.0",
                            "ce-type", "drift.check.requested",
                            "ce-id", id,
                            "ce-source", "//bench"),
                        "{\"scope\":\"all\"}".getBytes(StandardCharsets.UTF_8),
                        null))
            .envelope();
    return LedgerFixtures.acceptAndLease(ledger, envelope, "bench", Clock.systemUTC().instant());
  }

  private static long used(List<MemoryPoolMXBean> heap) {
    return heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
  }
}
