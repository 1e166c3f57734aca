package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.bench.BenchReport;
import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobAudit;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.notify.DeliveryStatus;
import dev.orgprovisioner.notify.HistoryEntry;
import dev.orgprovisioner.notify.Priority;
import dev.orgprovisioner.notify.warehouse.WarehouseNotificationHistory;
import dev.orgprovisioner.provisioning.Environment;
import dev.orgprovisioner.provisioning.JobHarness;
import dev.orgprovisioner.provisioning.ProvisioningJobs;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.ProvisioningSettings;
import dev.orgprovisioner.provisioning.WarehouseAuditTrail;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.warehouse.bigquery.StubScanCosts.Scan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark: the bytes each statement the worker sends would read on BigQuery with central tables
 * sized for 10,000 orgs, with partition pruning (as sent) and without (the whole table).
 */
@Tag("bench")
class BigQueryCostBenchmarkTest {

  private static final String PROJECT = "bench-project";
  private static final long ORGS = 10_000;
  private static final long DAYS = 365;
  private static final double TIB = 1L << 40;
  private static final double USD_PER_TIB = 6.25;

  /**
   * Assumed rows per org: per day for the logs (kept {@link #DAYS} days, one partition a day), in
   * all for the tenancy tables (spread over the same days when partitioned).
   */
  private static final Map<String, Long> ROWS_PER_ORG_PER_DAY =
      sorted(
          Map.ofEntries(
              Map.entry("org_meta_pipeline_runs", 20L),
              Map.entry("org_meta_step_logs", 100L),
              Map.entry("org_meta_state_transitions", 60L),
              Map.entry("org_idempotency_keys", 20L),
              Map.entry("org_pipeline_execution_queue", 40L),
              Map.entry("org_notification_history", 5L),
              Map.entry("org_audit_logs", 20L),
              Map.entry("org_usage_quotas", 1L)));

  private static final Map<String, Long> ROWS_PER_ORG =
      sorted(
          Map.of(
              "org_profiles", 1L,
              "org_subscriptions", 1L,
              "org_api_keys", 2L,
              "org_hierarchy_levels", 3L));

  private static Map<String, Long> sorted(Map<String, Long> m) {
    return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(m));
  }

  /** Statements of one kind on one table, summed. */
  record Line(String phase, String kind, String table, int statements, Scan sum) {}

  @Test
  void keyedWrites_readOnlyTheirRowsPartitions_atTenThousandOrgs() {
    Catalog catalog = CatalogFixtures.project();
    ProvisioningSettings settings = new ProvisioningSettings(Environment.LOCAL, "EU");
    List<Line> lines = new ArrayList<>();
    try (BigQueryStub stub = BigQueryStub.start();
        BigQueryWarehouse warehouse =
            BigQueryWarehouse.create(
                // No cap here: the figures show what each statement would be billed.
                new BigQuerySettings(PROJECT, "EU", Optional.of(stub.host()), 1L << 50, 4))) {
      ProvisioningService service = new ProvisioningService(catalog, warehouse, settings);
      ProvisioningJobs jobs = new ProvisioningJobs(service, Clock.systemUTC());
      service.bootstrap(false);
      String central = service.centralDataset();
      catalog.central().tables().forEach(t -> declare(stub, central, t.name(), t.partitioning()));
      String org = "acme";

      stub.clearScans();
      Job onboard = JobHarness.onboard(org, null);
      jobs.run(onboard, new AttemptsStepLog().nextAttempt());
      lines.addAll(lines("onboarding job", stub.scans()));

      stub.clearScans();
      WarehouseAuditTrail trail =
          new WarehouseAuditTrail(warehouse, central, Clock.systemUTC(), 500, Duration.ofHours(1));
      Instant now = Instant.now();
      trail.record(audit(JobAudit.Kind.TRANSITION, onboard, null, now));
      trail.record(audit(JobAudit.Kind.STEP, onboard, "dataset", now));
      trail.record(audit(JobAudit.Kind.STEP, onboard, "rows", now));
      trail.record(audit(JobAudit.Kind.RUN, onboard, null, now));
      trail.flush();
      trail.close();
      WarehouseNotificationHistory history =
          new WarehouseNotificationHistory(warehouse, central, 500, Duration.ofHours(1));
      history.append(notification(org, now));
      history.flush();
      history.close();
      lines.addAll(lines("audit trail of one job", stub.scans()));

      stub.clearScans();
      jobs.run(JobHarness.sync(org, false), new AttemptsStepLog().nextAttempt());
      lines.addAll(lines("no-op sync job", stub.scans()));

      stub.clearScans();
      warehouse.bulkSnapshot(
          List.of(settings.orgDataset(OrgSlug.parse(org)), service.centralDataset()));
      lines.addAll(lines("snapshot (drift check chunk)", stub.scans()));
    }

    print(lines);
    report(lines);
    List<Line> merges = lines.stream().filter(l -> l.kind().equals("MERGE")).toList();
    assertThat(merges).isNotEmpty();
    assertThat(merges)
        .filteredOn(l -> l.sum().partitions() > l.statements())
        .allSatisfy(l -> assertThat(l.sum().bytesRead()).isLessThan(l.sum().bytesUnpruned()));
  }

  private static void declare(
      BigQueryStub stub, String dataset, String table, Object partitioning) {
    Long perDay = ROWS_PER_ORG_PER_DAY.get(table);
    long rows = perDay != null ? ORGS * perDay * DAYS : ORGS * ROWS_PER_ORG.getOrDefault(table, 1L);
    stub.declareTableSize(PROJECT, dataset, table, rows, partitioning == null ? 1 : DAYS);
  }

  private static JobAudit audit(JobAudit.Kind kind, Job job, String step, Instant at) {
    return switch (kind) {
      case TRANSITION ->
          new JobAudit(kind, job, JobState.QUEUED, JobState.RUNNING, null, 0, at, at, null);
      case STEP -> new JobAudit(kind, job, null, null, step, 1, at, at, null);
      case RUN ->
          new JobAudit(kind, job, JobState.RUNNING, JobState.SUCCEEDED, null, 0, at, at, null);
    };
  }

  private static HistoryEntry notification(String org, Instant at) {
    return new HistoryEntry(
        "n-1",
        org,
        "rule-1",
        "channel-1",
        "event-1",
        "org.onboarded",
        Priority.LOW,
        "Onboarded",
        "Your organisation is ready",
        DeliveryStatus.SENT,
        0,
        null,
        List.of(),
        at);
  }

  /**
   * The phase's statements grouped by kind and table (the INFORMATION_SCHEMA views as one), in
   * first-seen order, then the phase's total.
   */
  private static List<Line> lines(String phase, List<Scan> scans) {
    Map<String, Line> out = new LinkedHashMap<>();
    for (Scan s : scans) {
      boolean metadata = s.kind().startsWith("INFORMATION_SCHEMA");
      String kind = metadata ? "INFORMATION_SCHEMA (each view)" : s.kind();
      String table = metadata ? "–" : s.table().replaceAll("^.*\\.", "");
      out.merge(
          kind + " " + table, new Line(phase, kind, table, 1, s), BigQueryCostBenchmarkTest::add);
      out.merge(TOTAL, new Line(phase, TOTAL, "", 1, s), BigQueryCostBenchmarkTest::add);
    }
    Line total = out.remove(TOTAL);
    List<Line> lines = new ArrayList<>(out.values());
    if (total != null) {
      lines.add(total);
    }
    return lines;
  }

  private static final String TOTAL = "**all statements**";

  private static Line add(Line a, Line b) {
    return new Line(
        a.phase(),
        a.kind(),
        a.table(),
        a.statements() + b.statements(),
        new Scan(
            a.sum().kind(),
            a.sum().table(),
            a.sum().bytesRead() + b.sum().bytesRead(),
            a.sum().bytesUnpruned() + b.sum().bytesUnpruned(),
            a.sum().partitionsRead() + b.sum().partitionsRead(),
            a.sum().partitions() + b.sum().partitions(),
            a.sum().bytesBilled() + b.sum().bytesBilled()));
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,.1f", bytes / (double) (1L << 20));
  }

  private static String usd(long bytes) {
    return String.format(Locale.ROOT, "%.4f", bytes / TIB * USD_PER_TIB);
  }

  private static List<String> table(List<Line> lines) {
    List<String> out = new ArrayList<>();
    out.add(
        "| phase | statement | table | statements | partitions read / of (summed) | MiB read"
            + " (as sent) | MiB read without pruning | MiB billed (10 MiB min.) | USD billed |");
    out.add("|---|---|---|---|---|---|---|---|---|");
    for (Line l : lines) {
      Scan s = l.sum();
      out.add(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %d | %s | %s | %s | %s | %s |",
              l.phase(),
              l.kind(),
              l.table(),
              l.statements(),
              s.partitions() == 0 || l.kind().equals(TOTAL)
                  ? "–"
                  : s.partitionsRead() + " / " + s.partitions(),
              mib(s.bytesRead()),
              mib(s.bytesUnpruned()),
              mib(s.bytesBilled()),
              usd(s.bytesBilled())));
    }
    return out;
  }

  private static long sum(
      List<Line> lines, String kind, java.util.function.ToLongFunction<Scan> f) {
    return lines.stream()
        .filter(l -> l.kind().equals(kind))
        .mapToLong(l -> f.applyAsLong(l.sum()))
        .sum();
  }

  private static void print(List<Line> lines) {
    System.out.println();
    System.out.println("Bytes per statement at " + ORGS + " orgs (stub estimates)");
    table(lines).forEach(System.out::println);
  }

  private static void report(List<Line> lines) {
    long mergeRead = sum(lines, "MERGE", Scan::bytesRead);
    long mergeUnpruned = sum(lines, "MERGE", Scan::bytesUnpruned);
    long selectRead = sum(lines, "SELECT", Scan::bytesRead);
    List<String> tenancy = new ArrayList<>();
    ROWS_PER_ORG.forEach((t, n) -> tenancy.add(t + " " + n));
    List<String> logs = new ArrayList<>();
    ROWS_PER_ORG_PER_DAY.forEach((t, n) -> logs.add(t + " " + n));
    BenchReport.section(
            "bigquery-cost",
            "3d. BigQuery bytes per statement at 10,000 orgs: pruned MERGE vs whole table")
        .method(
            "The real adapter and jobs (onboarding, the audit trail and notification history of"
                + " one job, a no-op sync, a two-dataset snapshot) against the REST stub, whose"
                + " central tables report the sizes of 10,000 orgs (tables.get numRows, numBytes,"
                + " numPartitions). Bytes = rows × row size from the schema (BigQuery's type"
                + " sizes; STRING/BYTES/JSON "
                + (2 + StubScanCosts.MEAN_STRING_BYTES)
                + " bytes); rows spread evenly over the partitions. A statement reads the"
                + " partitions its ON clause keeps (MERGE, as sent) or the whole table (SELECT,"
                + " and MERGE without pruning); INSERT … VALUES reads nothing; every statement"
                + " that reads a table is billed at least 10 MiB. SELECT figures are upper bounds:"
                + " clustering on org_slug lets BigQuery skip blocks, which the stub does not"
                + " model. On-demand price "
                + USD_PER_TIB
                + " USD/TiB.")
        .param("orgs", ORGS)
        .param("days_of_partitions", DAYS)
        .param("rows_per_org", String.join(", ", tenancy))
        .param("rows_per_org_per_day", String.join(", ", logs))
        .figure("merge_bytes_read", mergeRead)
        .figure("merge_bytes_without_pruning", mergeUnpruned)
        .figure("select_bytes_read_upper_bound", selectRead)
        .ratio("merge_pruned_over_unpruned", (double) mergeRead / mergeUnpruned)
        .summary(
            "16.3",
            "MiB read by the MERGEs of one onboarding + audit trail, 10000 orgs, vs without"
                + " pruning",
            Math.round(mergeRead / (double) (1L << 20)),
            Math.round(mergeUnpruned / (double) (1L << 20)),
            (double) mergeRead / mergeUnpruned)
        .lines(table(lines))
        .line("")
        .line(
            "MERGEs in all: "
                + mib(mergeRead)
                + " MiB read with pruning, "
                + mib(mergeUnpruned)
                + " MiB without. SELECT lookups (read-back, existence checks): "
                + mib(selectRead)
                + " MiB at most.")
        .write();
  }
}
