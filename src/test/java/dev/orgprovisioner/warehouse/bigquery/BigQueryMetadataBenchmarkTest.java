package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.Dataset;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.Table;
import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.testing.CatalogFixtures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Benchmark: metadata calls of a fleet drift snapshot, bulk INFORMATION_SCHEMA vs per table. */
@org.junit.jupiter.api.Tag("bench")
class BigQueryMetadataBenchmarkTest {

  private static final String PROJECT = "bench-project";
  private static final String CENTRAL = "organizations_bench";
  private static final int[] FLEETS = {10, 100, 1000};

  /** Rows per result page (the stub also cuts pages at 10 MB, as BigQuery does). */
  private static final int PAGE_ROWS = 50_000;

  record Figures(
      int orgs,
      int bulkQueries,
      int bulkRequests,
      long bulkMillis,
      int perTableRequests,
      long perTableMillis) {}

  @Test
  void bulkSnapshot_needsTheSameNumberOfQueriesForAnyFleetSize() throws Exception {
    Catalog catalog = CatalogFixtures.project();
    int tables = catalog.org().tables().size();
    int views = catalog.org().views().size();
    List<Figures> figures = new ArrayList<>();
    try (BigQueryStub stub = BigQueryStub.start();
        BigQueryWarehouse warehouse =
            BigQueryWarehouse.create(
                new BigQuerySettings(PROJECT, "EU", Optional.of(stub.host()), 1L << 30, 4))) {
      stub.pageRows(PAGE_ROWS);
      DesiredDataset template = org(catalog, "org_00000");
      Planner.plan(template, warehouse.freshSnapshot(template.name()), warehouse::viewSql)
          .steps()
          .forEach(warehouse::apply);
      List<String> names = new ArrayList<>();
      names.add(template.name());
      for (int i = 1; i < FLEETS[FLEETS.length - 1]; i++) {
        String name = String.format("org_%05d", i);
        stub.cloneDataset(PROJECT, template.name(), name);
        names.add(name);
      }
      BigQuery client =
          BigQueryOptions.newBuilder()
              .setProjectId(PROJECT)
              .setHost(stub.host())
              .setCredentials(NoCredentials.getInstance())
              .setRetrySettings(ServiceOptions.getNoRetrySettings())
              .build()
              .getService();

      for (int n : FLEETS) {
        List<String> fleet = names.subList(0, n);

        stub.clearRequests();
        long t0 = System.nanoTime();
        Map<String, ObservedDataset> bulk = warehouse.bulkSnapshot(fleet);
        long bulkMillis = (System.nanoTime() - t0) / 1_000_000;
        int bulkQueries =
            (int) stub.requests().stream().filter(BigQueryStub.Request::isQuery).count();
        int bulkRequests = stub.requests().size();

        assertThat(bulk).hasSize(n);
        for (String name : fleet) {
          ObservedDataset d = bulk.get(name);
          assertThat(d.tables()).hasSize(tables);
          assertThat(d.views()).hasSize(views);
          assertThat(Planner.plan(org(catalog, name), Optional.of(d), warehouse::viewSql).isNoop())
              .as("bulk snapshot of %s round-trips to a no-op plan", name)
              .isTrue();
        }

        stub.clearRequests();
        t0 = System.nanoTime();
        int objects = perTableSnapshot(client, fleet);
        long perTableMillis = (System.nanoTime() - t0) / 1_000_000;
        int perTableRequests = stub.requests().size();
        assertThat(objects).isEqualTo(n * (tables + views));

        figures.add(
            new Figures(
                n, bulkQueries, bulkRequests, bulkMillis, perTableRequests, perTableMillis));
      }
    }

    print(tables, views, figures);
    report(tables, views, figures);
    assertThat(figures).extracting(Figures::bulkQueries).containsOnly(figures.get(0).bulkQueries());
    assertThat(figures)
        .allSatisfy(f -> assertThat(f.bulkRequests()).isLessThan(f.perTableRequests()));
  }

  private static DesiredDataset org(Catalog catalog, String name) {
    return new DesiredDataset(name, "EU", catalog.org(), CENTRAL, "acme");
  }

  /** The baseline: one datasets.get, tables.list and a tables.get per table or view. */
  private static int perTableSnapshot(BigQuery client, List<String> fleet) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (String name : fleet) {
        futures.add(
            pool.submit(
                () -> {
                  Dataset ds = client.getDataset(DatasetId.of(PROJECT, name));
                  Map<String, Table> got = new LinkedHashMap<>();
                  for (Table t : ds.list().iterateAll()) {
                    got.put(t.getTableId().getTable(), client.getTable(t.getTableId()));
                  }
                  return got.size();
                }));
      }
      int objects = 0;
      for (Future<Integer> f : futures) {
        objects += f.get();
      }
      return objects;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void report(int tables, int views, List<Figures> figures) {
    var section =
        dev.orgprovisioner.bench.BenchReport.section(
                "bigquery-metadata",
                "3c. BigQuery metadata calls for a drift snapshot: bulk INFORMATION_SCHEMA vs"
                    + " per-table reads")
            .method(
                "The real BigQuery client against the local REST stub (BigQueryStub), project org"
                    + " catalog ("
                    + tables
                    + " tables + "
                    + views
                    + " views per org); HTTP requests counted at the stub, which pages query"
                    + " results at "
                    + PAGE_ROWS
                    + " rows or 10 MB like BigQuery. Ours: BigQueryWarehouse.bulkSnapshot of the fleet"
                    + " (INFORMATION_SCHEMA queries, independent of N). Baseline: datasets.get +"
                    + " tables.list + tables.get per table/view, 8 threads. Milliseconds against a"
                    + " loopback stub say little: against BigQuery each call costs ~100 ms.")
            .param("fleets", java.util.Arrays.toString(FLEETS))
            .param("page_rows", PAGE_ROWS);
    List<String> lines = new ArrayList<>();
    lines.add(
        "| N orgs | bulk queries | bulk HTTP incl. result pages | bulk ms | per-table HTTP calls |"
            + " per-table ms |");
    lines.add("|---|---|---|---|---|---|");
    for (Figures f : figures) {
      lines.add(
          String.format(
              "| %d | %d | %d | %d | %d | %d |",
              f.orgs(),
              f.bulkQueries(),
              f.bulkRequests(),
              f.bulkMillis(),
              f.perTableRequests(),
              f.perTableMillis()));
      section
          .figure("n" + f.orgs() + "_bulk_queries", f.bulkQueries())
          .figure("n" + f.orgs() + "_bulk_http_requests", f.bulkRequests())
          .figure("n" + f.orgs() + "_bulk_ms", f.bulkMillis())
          .figure("n" + f.orgs() + "_per_table_http_requests", f.perTableRequests())
          .figure("n" + f.orgs() + "_per_table_ms", f.perTableMillis())
          .ratio(
              "n" + f.orgs() + "_bulk_over_per_table_requests",
              (double) f.bulkRequests() / f.perTableRequests())
          .calls(
              "BigQuery HTTP requests for a snapshot of " + f.orgs() + " orgs",
              f.bulkRequests(),
              f.bulkQueries(),
              (long) f.perTableRequests());
    }
    Figures last = figures.get(figures.size() - 1);
    section
        .summary(
            "3",
            "BigQuery HTTP requests, drift snapshot of " + last.orgs() + " orgs vs per-table reads",
            last.bulkRequests(),
            last.perTableRequests(),
            (double) last.bulkRequests() / last.perTableRequests())
        .lines(lines)
        .line("")
        .line(
            "Floor in the calls table: one query per INFORMATION_SCHEMA view, unpaged. Each query is"
                + " a job with a job timeout, which the client runs as jobs.insert, a poll and its"
                + " result pages (at least three requests), not as one jobs.query request.")
        .write();
  }

  private static void print(int tables, int views, List<Figures> figures) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%nDrift snapshot metadata calls, %d tables + %d views per org (stub, %,d rows/page)%n",
            tables, views, PAGE_ROWS));
    out.append(
        String.format(
            "%7s | %12s | %19s | %9s | %21s | %13s%n",
            "N orgs",
            "bulk queries",
            "bulk HTTP (w/ pages)",
            "bulk ms",
            "per-table HTTP calls",
            "per-table ms"));
    for (Figures f : figures) {
      out.append(
          String.format(
              "%7d | %12d | %19d | %9d | %21d | %13d%n",
              f.orgs(),
              f.bulkQueries(),
              f.bulkRequests(),
              f.bulkMillis(),
              f.perTableRequests(),
              f.perTableMillis()));
    }
    System.out.println(out);
  }
}
