package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.TableDef;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.provisioning.Environment;
import dev.orgprovisioner.provisioning.JobHarness;
import dev.orgprovisioner.provisioning.ProvisioningJobs;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.ProvisioningSettings;
import dev.orgprovisioner.provisioning.TenantViewSettings;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.warehouse.bigquery.SentStatements.Kind;
import dev.orgprovisioner.warehouse.bigquery.SentStatements.Sent;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every SQL text the BigQuery adapter sends, collected from the stub after a bootstrap, an
 * onboarding, a sync, a fleet snapshot and row writes of every central table, is analyzed by
 * ZetaSQL (BigQuery's analyzer) with BigQuery's language options, the project's catalog and the
 * parameters' types.
 */
class BigQuerySqlAnalysisTest {

  private static final String PROJECT = "test-project";
  private static final String ORG = "acme";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Catalog CATALOG = CatalogFixtures.project();
  private static List<Sent> sent;
  private static BigQueryAnalyzer analyzer;

  @BeforeAll
  static void runTheAdapterAndBuildTheAnalyzer() {
    // Tenant views on: the shard views and the views dataset's views are sent too.
    ProvisioningSettings settings =
        new ProvisioningSettings(Environment.LOCAL, "EU")
            .withTenantViews(new TenantViewSettings(true, 4));
    String orgDataset = settings.orgDataset(OrgSlug.parse(ORG));
    try (BigQueryStub stub = BigQueryStub.start();
        BigQueryWarehouse warehouse =
            BigQueryWarehouse.create(
                new BigQuerySettings(
                    PROJECT, "EU", Optional.of(stub.host()), 100L * 1024 * 1024, 4))) {
      ProvisioningService service = new ProvisioningService(CATALOG, warehouse, settings);
      ProvisioningJobs jobs = new ProvisioningJobs(service, Clock.systemUTC());
      service.bootstrap(false);
      jobs.run(JobHarness.onboard(ORG, null), new AttemptsStepLog().nextAttempt());
      jobs.run(JobHarness.sync(ORG, false), new AttemptsStepLog().nextAttempt());
      // The drift check's fleet read: every managed dataset in one bulk snapshot.
      warehouse.bulkSnapshot(warehouse.managedDatasets());
      // Row writes of every column type the catalog uses, through each write the adapter has.
      for (TableDef t : CATALOG.central().tables()) {
        Map<String, Object> row = sampleRow(t);
        warehouse.insertRows(service.centralDataset(), t.name(), List.of(row));
        warehouse.upsertRows(
            service.centralDataset(), t.name(), List.of(t.columns().get(0).name()), List.of(row));
      }
      // Two rows in one MERGE: the shape group commit sends for several callers' rows.
      TableDef first = CATALOG.central().tables().get(0);
      Map<String, Object> other = sampleRow(first);
      other.put(
          first.columns().get(0).name(),
          otherKey(sampleRow(first).get(first.columns().get(0).name())));
      warehouse.upsertRows(
          service.centralDataset(),
          first.name(),
          List.of(first.columns().get(0).name()),
          List.of(sampleRow(first), other));
      sent = SentStatements.from(stub.requests());
      analyzer = new BigQueryAnalyzer(PROJECT);
      CATALOG.central().tables().forEach(t -> analyzer.addTable(service.centralDataset(), t));
      CATALOG.org().tables().forEach(t -> analyzer.addTable(orgDataset, t));
      analyzer.addInformationSchema(InformationSchema.region("EU"));
      // The views dataset's views read the org's views in its shard: register those first
      // (each once: every onboarding and sync re-applies them).
      java.util.Set<String> registered = new java.util.HashSet<>();
      for (BigQueryStub.Request r : stub.requests()) {
        if (r.method().equals("POST")
            && r.path().contains("_shard_")
            && r.path().endsWith("/tables")
            && r.body().path("view").has("query")) {
          JsonNode ref = r.body().path("tableReference");
          if (!registered.add(ref.path("tableId").asText())) {
            continue;
          }
          analyzer.addView(
              ref.path("datasetId").asText(),
              ref.path("tableId").asText(),
              r.body().path("view").path("query").asText());
        }
      }
    }
  }

  /** A row with a value of the column's Java type in every scalar, non-repeated column. */
  private static Map<String, Object> sampleRow(TableDef t) {
    Map<String, Object> row = new LinkedHashMap<>();
    t.columns().stream()
        .filter(c -> c.mode() != FieldMode.REPEATED)
        .forEach(
            c -> {
              Object v =
                  switch (c.type()) {
                    case STRING -> "x";
                    case BYTES -> new byte[] {1, 2};
                    case INT64 -> 7L;
                    case FLOAT64 -> 1.5d;
                    case NUMERIC, BIGNUMERIC -> new BigDecimal("12.34");
                    case BOOL -> true;
                    case DATE -> LocalDate.of(2026, 1, 2);
                    case DATETIME -> LocalDateTime.of(2026, 1, 2, 3, 4, 5);
                    case TIME -> LocalTime.of(3, 4, 5);
                    case TIMESTAMP -> Instant.parse("2026-01-02T03:04:05Z");
                    // No Java value maps to these parameter types (BigQueryRows.parameter).
                    case JSON, GEOGRAPHY, STRUCT -> null;
                  };
              if (v != null) {
                row.put(c.name(), v);
              }
            });
    return row;
  }

  /** Another key of the same type: a second row, not a repeat of the first. */
  private static Object otherKey(Object key) {
    return key instanceof String k ? k + "_2" : key instanceof Long n ? n + 1 : key;
  }

  @Test
  void aMergeOfSeveralRows_asGroupCommitSendsIt_isAmongTheAnalyzed() {
    assertThat(sent)
        .anyMatch(s -> s.sql().startsWith("MERGE ") && s.sql().contains(" UNION ALL SELECT "));
  }

  @Test
  void everySentStatement_analyzesUnderBigQueryLanguageOptions() {
    List<String> problems = new ArrayList<>();
    long start = System.nanoTime();
    for (Sent s : sent) {
      analyzer.problem(s.sql(), s.parameterTypes()).ifPresent(p -> problems.add(s + "\n  -> " + p));
    }
    System.out.printf(
        "ZetaSQL analyzed %d statements in %d ms%n",
        sent.size(), (System.nanoTime() - start) / 1_000_000);

    assertThat(sent).hasSizeGreaterThan(CATALOG.org().views().size());
    assertThat(problems).as("statements ZetaSQL rejects").isEmpty();
  }

  @Test
  void tenantViews_readOnlyTheOrgsRows_throughItsShard() {
    List<Sent> shardViews = sent.stream().filter(s -> s.where().contains("_shard_")).toList();
    List<Sent> overThem =
        sent.stream().filter(s -> s.where().contains("/datasets/acme_local_views/")).toList();

    // Re-applied by the sync: the same texts again.
    assertThat(shardViews.stream().map(Sent::sql).distinct()).hasSize(CATALOG.org().views().size());
    // Every shard view filters by the org (catalog rule 4.11, rendered for acme).
    assertThat(shardViews).allSatisfy(v -> assertThat(v.sql()).contains("org_slug = 'acme'"));
    assertThat(overThem)
        .hasSize(CATALOG.org().views().size())
        .allSatisfy(
            v ->
                assertThat(v.sql())
                    .matches(
                        "SELECT \\* FROM `test-project\\.organizations_shard_\\d\\.acme__x_[a-z_]+`"));
  }

  @Test
  void everyKindTheAdapterSends_isCoveredByTheCheck() {
    Map<Kind, Long> counts =
        sent.stream().collect(Collectors.groupingBy(Sent::kind, Collectors.counting()));

    assertThat(sent.stream().filter(s -> s.kind() == Kind.UNKNOWN).map(Sent::toString))
        .as("statements of a kind the analysis does not classify")
        .isEmpty();
    for (InformationSchema.View v : InformationSchema.View.values()) {
      assertThat(counts).as("the " + v + " read").containsKey(Kind.of(v));
    }
    assertThat(counts.keySet())
        .as("kinds collected: " + counts)
        .containsAll(EnumSet.complementOf(EnumSet.of(Kind.UNKNOWN)));
  }

  @Test
  void aStatementBigQueryWouldReject_isReportedWithTheAnalyzersMessage() {
    String table = "`" + PROJECT + "." + CATALOG.central().datasetName() + ".org_profiles`";

    assertThat(analyzer.problem("SELECT no_such_column FROM " + table, Map.of()))
        .get()
        .asString()
        .contains("no_such_column");
    assertThat(
            analyzer.problem(
                "INSERT INTO " + table + " (org_slug) VALUES (@p)",
                Map.of("p", JSON.createObjectNode().put("type", "INT64"))))
        .as("parameter types are checked against the columns")
        .get()
        .asString()
        .contains("INT64", "org_slug");
    assertThat(analyzer.problem("SELECT * FROM " + table + " LIMIT 1", Map.of())).isEmpty();
  }

  @Test
  void currentTimestampWithoutParentheses_isAcceptedUnderBigQueryLanguageOptions() {
    assertThat(analyzer.problem("SELECT CURRENT_TIMESTAMP - INTERVAL 24 HOUR AS t", Map.of()))
        .isEmpty();
    assertThat(analyzer.problem("SELECT CURRENT_TIMESTAMP() AS t", Map.of())).isEmpty();
  }
}
