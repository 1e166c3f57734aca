package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.FieldType;
import dev.orgprovisioner.catalog.TableDef;
import dev.orgprovisioner.catalog.ViewDef;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.execution.JobFence;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.PlanStep.AddColumns;
import dev.orgprovisioner.plan.PlanStep.ColumnAddition;
import dev.orgprovisioner.plan.PlanStep.CreateDataset;
import dev.orgprovisioner.plan.PlanStep.CreateOrReplaceView;
import dev.orgprovisioner.plan.PlanStep.CreateTable;
import dev.orgprovisioner.plan.PlanStep.RelaxColumns;
import dev.orgprovisioner.plan.PlanStep.UpdateTableOptions;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.plan.TableOption;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.warehouse.bigquery.BigQueryStub.Request;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Asserts the exact REST requests the adapter makes through the real client. */
class BigQueryRequestShapeTest {

  private static final String PROJECT = "test-project";
  private static final String API = "/bigquery/v2/projects/" + PROJECT;
  private static final long MAX_BYTES = 100L * 1024 * 1024;

  private final ObjectMapper json = new ObjectMapper();
  private final Catalog catalog = CatalogFixtures.minimal();
  private BigQueryStub stub;
  private BigQueryWarehouse warehouse;

  @BeforeEach
  void start() {
    stub = BigQueryStub.start();
    warehouse =
        BigQueryWarehouse.create(
            new BigQuerySettings(PROJECT, "EU", Optional.of(stub.host()), MAX_BYTES, 4));
  }

  @AfterEach
  void stop() {
    warehouse.close();
    stub.close();
  }

  private DesiredDataset central() {
    return new DesiredDataset("central", "EU", catalog.central(), "central", null);
  }

  private DesiredDataset org(String name) {
    return new DesiredDataset(name, "EU", catalog.org(), "central", "acme");
  }

  private void provision(DesiredDataset d) {
    Planner.plan(d, warehouse.freshSnapshot(d.name()), warehouse::viewSql)
        .steps()
        .forEach(warehouse::apply);
  }

  private JsonNode parse(String text) throws Exception {
    return json.readTree(text);
  }

  private TableDef orgTable(String name) {
    return catalog.org().tables().stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** The query jobs the adapter started, in order. */
  private List<Request> queries() {
    return stub.requests().stream().filter(Request::isQuery).toList();
  }

  private List<Request> writes() {
    return stub.requests().stream().filter(r -> !r.method().equals("GET")).toList();
  }

  @Test
  void datasetsInsert_carriesLocationDescriptionAndLabels() throws Exception {
    DesiredDataset org = org("org_acme");

    warehouse.apply(
        new CreateDataset("org_acme", "EU", catalog.org().description(), org.datasetLabels()));

    assertThat(stub.requests())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.method()).isEqualTo("POST");
              assertThat(r.path()).isEqualTo(API + "/datasets");
              assertThat(r.gzipped()).as("the client gzips bodies; the stub decodes them").isTrue();
            });
    assertThat(stub.requests().get(0).body())
        .isEqualTo(
            parse(
                """
                {"datasetReference": {"datasetId": "org_acme", "projectId": "test-project"},
                 "description": "Per-org test dataset.",
                 "labels": {"managed-by": "org-provisioner", "org": "acme", "schema-version": "1"},
                 "location": "EU"}
                """));
  }

  @Test
  void tablesInsert_carriesNestedSchemaPartitioningClusteringAndLabels() throws Exception {
    provision(central());
    warehouse.apply(new CreateDataset("org_acme", "EU", "d", org("org_acme").datasetLabels()));
    stub.clearRequests();
    DesiredDataset org = org("org_acme");

    warehouse.apply(
        new CreateTable(
            "org_acme", orgTable("usage_daily"), org.tableLabels(orgTable("usage_daily"))));
    warehouse.apply(
        new CreateTable("org_acme", orgTable("invoices"), org.tableLabels(orgTable("invoices"))));

    List<Request> inserts = stub.requests("POST", API + "/datasets/org_acme/tables");
    assertThat(stub.requests()).hasSize(2);
    assertThat(inserts.get(0).body())
        .isEqualTo(
            parse(
                """
                {"tableReference": {"datasetId": "org_acme", "projectId": "test-project",
                                    "tableId": "usage_daily"},
                 "description": "Daily usage.",
                 "labels": {"managed-by": "org-provisioner", "schema-version": "1"},
                 "schema": {"fields": [
                   {"name": "usage_date", "type": "DATE", "mode": "REQUIRED",
                    "description": "Day of usage."},
                   {"name": "provider", "type": "STRING", "mode": "REQUIRED",
                    "description": "Provider name."},
                   {"name": "amount", "type": "NUMERIC", "mode": "NULLABLE",
                    "description": "Amount used."},
                   {"name": "tags", "type": "STRING", "mode": "REPEATED",
                    "description": "Free tags."},
                   {"name": "created_at", "type": "TIMESTAMP", "mode": "REQUIRED",
                    "description": "Row creation time."}]},
                 "timePartitioning": {"type": "DAY", "field": "usage_date",
                                      "expirationMs": "34560000000"},
                 "requirePartitionFilter": false,
                 "clustering": {"fields": ["provider"]}}
                """));
    assertThat(inserts.get(1).body())
        .isEqualTo(
            parse(
                """
                {"tableReference": {"datasetId": "org_acme", "projectId": "test-project",
                                    "tableId": "invoices"},
                 "description": "Invoices with nested lines.",
                 "labels": {"managed-by": "org-provisioner", "schema-version": "1"},
                 "schema": {"fields": [
                   {"name": "invoice_id", "type": "STRING", "mode": "REQUIRED",
                    "description": "Invoice id."},
                   {"name": "lines", "type": "RECORD", "mode": "REPEATED",
                    "description": "Invoice lines.", "fields": [
                      {"name": "sku", "type": "STRING", "mode": "REQUIRED",
                       "description": "Product code."},
                      {"name": "cost", "type": "FLOAT", "mode": "NULLABLE",
                       "description": "Line cost."}]},
                   {"name": "billing", "type": "RECORD", "mode": "NULLABLE",
                    "description": "Billing contact.", "fields": [
                      {"name": "email", "type": "STRING", "mode": "NULLABLE",
                       "description": "Billing e-mail."},
                      {"name": "location", "type": "GEOGRAPHY", "mode": "NULLABLE",
                       "description": "Billing point."}]},
                   {"name": "created_at", "type": "TIMESTAMP", "mode": "REQUIRED",
                    "description": "Row creation time."}]}}
                """));
  }

  @Test
  void addColumns_sendsOnePatchCarryingEveryNewColumn() throws Exception {
    provision(central());
    provision(org("org_acme"));
    stub.clearRequests();

    warehouse.apply(
        new AddColumns(
            "org_acme",
            "invoices",
            List.of(
                new ColumnAddition(
                    "", Column.of("note", FieldType.STRING, FieldMode.NULLABLE, "A note.")),
                new ColumnAddition(
                    "", Column.of("paid", FieldType.BOOL, FieldMode.NULLABLE, "Paid.")),
                new ColumnAddition(
                    "billing",
                    Column.of("phone", FieldType.STRING, FieldMode.NULLABLE, "A phone.")),
                new ColumnAddition(
                    "lines", Column.of("qty", FieldType.INT64, FieldMode.NULLABLE, "Quantity.")))));

    assertThat(stub.requests("GET", API + "/datasets/org_acme/tables/invoices")).hasSize(1);
    assertThat(writes())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.method()).isEqualTo("PATCH");
              assertThat(r.path()).isEqualTo(API + "/datasets/org_acme/tables/invoices");
            });
    assertThat(writes().get(0).body())
        .isEqualTo(
            parse(
                """
                {"tableReference": {"datasetId": "org_acme", "projectId": "test-project",
                                    "tableId": "invoices"},
                 "schema": {"fields": [
                   {"name": "invoice_id", "type": "STRING", "mode": "REQUIRED",
                    "description": "Invoice id."},
                   {"name": "lines", "type": "RECORD", "mode": "REPEATED",
                    "description": "Invoice lines.", "fields": [
                      {"name": "sku", "type": "STRING", "mode": "REQUIRED",
                       "description": "Product code."},
                      {"name": "cost", "type": "FLOAT", "mode": "NULLABLE",
                       "description": "Line cost."},
                      {"name": "qty", "type": "INTEGER", "mode": "NULLABLE",
                       "description": "Quantity."}]},
                   {"name": "billing", "type": "RECORD", "mode": "NULLABLE",
                    "description": "Billing contact.", "fields": [
                      {"name": "email", "type": "STRING", "mode": "NULLABLE",
                       "description": "Billing e-mail."},
                      {"name": "location", "type": "GEOGRAPHY", "mode": "NULLABLE",
                       "description": "Billing point."},
                      {"name": "phone", "type": "STRING", "mode": "NULLABLE",
                       "description": "A phone."}]},
                   {"name": "created_at", "type": "TIMESTAMP", "mode": "REQUIRED",
                    "description": "Row creation time."},
                   {"name": "note", "type": "STRING", "mode": "NULLABLE",
                    "description": "A note."},
                   {"name": "paid", "type": "BOOLEAN", "mode": "NULLABLE",
                    "description": "Paid."}]}}
                """));
  }

  @Test
  void addColumns_appliedAgain_sendsNoPatch() {
    provision(central());
    provision(org("org_acme"));
    AddColumns step =
        new AddColumns(
            "org_acme",
            "invoices",
            List.of(
                new ColumnAddition(
                    "", Column.of("note", FieldType.STRING, FieldMode.NULLABLE, "A note."))));
    warehouse.apply(step);
    stub.clearRequests();

    warehouse.apply(step);

    assertThat(writes()).isEmpty();
  }

  @Test
  void relaxColumns_patchesTheModesInOneRequest() {
    provision(central());
    provision(org("org_acme"));
    stub.clearRequests();

    warehouse.apply(new RelaxColumns("org_acme", "invoices", List.of("invoice_id", "lines.sku")));

    assertThat(writes())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.method()).isEqualTo("PATCH");
              JsonNode fields = r.body().path("schema").path("fields");
              assertThat(fields.get(0).path("mode").asText()).isEqualTo("NULLABLE");
              assertThat(fields.get(1).path("fields").get(0).path("mode").asText())
                  .isEqualTo("NULLABLE");
              assertThat(fields.get(3).path("mode").asText()).isEqualTo("REQUIRED");
            });
  }

  @Test
  void updateTableOptions_patchesOnlyTheChangedProperties() throws Exception {
    provision(central());
    provision(org("org_acme"));
    stub.clearRequests();
    TableDef usage = orgTable("usage_daily");
    Map<String, String> labels = new LinkedHashMap<>(org("org_acme").tableLabels(usage));
    labels.put("tier", "gold");

    warehouse.apply(
        new UpdateTableOptions(
            "org_acme",
            usage,
            labels,
            EnumSet.of(TableOption.DESCRIPTION, TableOption.LABELS, TableOption.CLUSTERING)));

    assertThat(writes()).singleElement().satisfies(r -> assertThat(r.method()).isEqualTo("PATCH"));
    assertThat(writes().get(0).body())
        .isEqualTo(
            parse(
                """
                {"tableReference": {"datasetId": "org_acme", "projectId": "test-project",
                                    "tableId": "usage_daily"},
                 "description": "Daily usage.",
                 "labels": {"managed-by": "org-provisioner", "schema-version": "1",
                            "tier": "gold"},
                 "clustering": {"fields": ["provider"]}}
                """));
  }

  @Test
  void view_isCreatedWithRenderedSqlLabelsAndDescription_andReplacedOnConflict() throws Exception {
    provision(central());
    warehouse.apply(new CreateDataset("org_acme", "EU", "d", org("org_acme").datasetLabels()));
    ViewDef view = catalog.org().views().get(0);
    CreateOrReplaceView step =
        new CreateOrReplaceView(
            "org_acme", "central", view, "acme", org("org_acme").viewLabels(view));
    stub.clearRequests();

    warehouse.apply(step);
    warehouse.apply(step);

    JsonNode expected =
        parse(
            """
            {"tableReference": {"datasetId": "org_acme", "projectId": "test-project",
                                "tableId": "x_events"},
             "type": "VIEW",
             "description": "The org's events.",
             "labels": {"managed-by": "org-provisioner", "schema-version": "1",
                        "definition-hash": "%s"},
             "view": {"query": "SELECT e.kind AS kind, e.created_at AS created_at\\nFROM `test-project.central.org_events` AS e\\nWHERE e.org_slug = 'acme'\\n",
                      "useLegacySql": false}}
            """
                .formatted(view.definitionHash()));
    List<Request> writes = writes();
    assertThat(writes).extracting(Request::method).containsExactly("POST", "POST", "PATCH");
    JsonNode created =
        ((com.fasterxml.jackson.databind.node.ObjectNode) writes.get(0).body().deepCopy());
    assertThat(withoutType(writes.get(0).body())).isEqualTo(withoutType(expected));
    assertThat(withoutType(writes.get(2).body())).isEqualTo(withoutType(expected));
    assertThat(writes.get(2).path()).isEqualTo(API + "/datasets/org_acme/tables/x_events");
    assertThat(created.path("view").path("query").asText()).doesNotContain("{{");
  }

  private static JsonNode withoutType(JsonNode n) {
    com.fasterxml.jackson.databind.node.ObjectNode copy = n.deepCopy();
    copy.remove("type");
    return copy;
  }

  @Test
  void snapshot_readsEachInformationSchemaViewOnceWithTheDatasetsAsAParameter() {
    provision(central());
    provision(org("org_a"));
    provision(org("org_b"));
    stub.clearRequests();

    var observed = warehouse.bulkSnapshot(List.of("org_a", "org_b", "central"));

    assertThat(observed).containsOnlyKeys("org_a", "org_b", "central");
    List<Request> queries = queries();
    assertThat(queries).hasSize(7);
    assertThat(stub.requests())
        .as("nothing but the seven query jobs and their results")
        .noneMatch(
            r -> r.path().matches(".*/datasets(/[^/]+)?") || r.path().matches(".*/tables/[^/]+"));
    Set<String> views =
        queries.stream()
            .map(r -> r.sql().replaceAll("(?s).*INFORMATION_SCHEMA\\.(\\w+).*", "$1"))
            .collect(Collectors.toSet());
    assertThat(views)
        .containsExactlyInAnyOrder(
            "SCHEMATA",
            "SCHEMATA_OPTIONS",
            "TABLES",
            "TABLE_OPTIONS",
            "COLUMNS",
            "COLUMN_FIELD_PATHS",
            "VIEWS");
    for (Request q : queries) {
      JsonNode body = q.queryConfig();
      assertThat(body.path("maximumBytesBilled").asText()).isEqualTo(String.valueOf(MAX_BYTES));
      assertThat(body.path("useLegacySql").asBoolean(true)).isFalse();
      assertThat(q.body().path("jobReference").path("location").asText()).isEqualTo("EU");
      assertThat(body.path("query").asText())
          .contains("`test-project`.`region-eu`.INFORMATION_SCHEMA.")
          .contains("IN UNNEST(@datasets)")
          .doesNotContain("org_a")
          .doesNotContain("central");
      JsonNode param = body.path("queryParameters").get(0);
      assertThat(param.path("name").asText()).isEqualTo("datasets");
      assertThat(param.path("parameterType").path("type").asText()).isEqualTo("ARRAY");
      assertThat(param.path("parameterType").path("arrayType").path("type").asText())
          .isEqualTo("STRING");
      assertThat(param.path("parameterValue").path("arrayValues").findValuesAsText("value"))
          .containsExactly("org_a", "org_b", "central");
    }
  }

  @Test
  void snapshot_ofADatasetInAnotherRegion_locatesItAndReadsThatRegion() {
    provision(central());
    provision(new DesiredDataset("org_us", "US", catalog.org(), "central", "acme"));
    stub.clearRequests();

    var observed = warehouse.bulkSnapshot(List.of("org_us", "missing_one"));

    assertThat(observed).containsOnlyKeys("org_us");
    assertThat(observed.get("org_us").location()).isEqualTo("US");
    assertThat(observed.get("org_us").tables()).containsKeys("invoices", "usage_daily");
    assertThat(stub.requests("GET", API + "/datasets/(org_us|missing_one)")).hasSize(2);
    assertThat(queries())
        .hasSize(14)
        .filteredOn(r -> r.sql().contains("`region-us`"))
        .hasSize(7)
        .allSatisfy(
            r -> {
              assertThat(r.body().path("jobReference").path("location").asText()).isEqualTo("US");
              assertThat(
                      r.queryConfig()
                          .path("queryParameters")
                          .get(0)
                          .path("parameterValue")
                          .path("arrayValues")
                          .findValuesAsText("value"))
                  .containsExactly("org_us");
            });
  }

  @Test
  void rows_areWrittenWithParameterisedDml_neverStreamingInserts() {
    provision(central());
    stub.clearRequests();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("org_slug", "acme'; DROP TABLE x; --");
    row.put("status", "ACTIVE");
    row.put("created_at", Instant.parse("2026-01-01T00:00:00Z"));
    row.put("updated_at", null);

    warehouse.insertRows(
        "central",
        "org_events",
        List.of(
            Map.of(
                "org_slug",
                "acme",
                "kind",
                "x",
                "created_at",
                Instant.parse("2026-01-01T00:00:00Z"))));
    warehouse.upsertRows("central", "org_profiles", List.of("org_slug"), List.of(row));

    assertThat(stub.requests()).noneMatch(r -> r.path().endsWith("/insertAll"));
    List<Request> queries = queries();
    assertThat(queries).hasSize(2);
    JsonNode insert = queries.get(0).queryConfig();
    assertThat(insert.path("query").asText())
        .startsWith("INSERT INTO `test-project.central.org_events` (")
        .contains("VALUES (@r0_0, @r0_1, @r0_2)");
    assertThat(insert.path("maximumBytesBilled").asText()).isEqualTo(String.valueOf(MAX_BYTES));
    assertThat(insert.path("queryParameters").findValuesAsText("type"))
        .containsExactlyInAnyOrder("STRING", "STRING", "TIMESTAMP");
    JsonNode merge = queries.get(1).queryConfig();
    assertThat(merge.path("query").asText())
        .isEqualTo(
            "MERGE `test-project.central.org_profiles` T USING (SELECT @r0_0 AS `org_slug`,"
                + " @r0_1 AS `status`, @r0_2 AS `created_at`) S ON T.`org_slug` = S.`org_slug`"
                + " WHEN MATCHED THEN UPDATE SET `status` = S.`status`, `created_at` ="
                + " S.`created_at`, `updated_at` = NULL WHEN NOT MATCHED THEN INSERT"
                + " (`org_slug`, `status`, `created_at`, `updated_at`) VALUES (S.`org_slug`,"
                + " S.`status`, S.`created_at`, NULL)")
        .doesNotContain("DROP");
    assertThat(merge.path("queryParameters").get(0).path("parameterValue").path("value").asText())
        .isEqualTo("acme'; DROP TABLE x; --");
    assertThat(
            warehouse.selectRows(
                "central", "org_profiles", Map.of("org_slug", "acme'; DROP TABLE x; --"), 5))
        .singleElement()
        .satisfies(r -> assertThat(r).containsEntry("status", "ACTIVE"));
  }

  @Test
  void upsert_intoAPartitionedTable_prunesTheTargetToTheSourceRowsPartitions() {
    provision(central());
    stub.clearRequests();
    List<Map<String, Object>> rows =
        List.of(
            Map.of(
                "org_slug", "a", "kind", "x", "created_at", Instant.parse("2026-01-01T08:00:00Z")),
            Map.of(
                "org_slug", "b", "kind", "y", "created_at", Instant.parse("2026-01-03T09:00:00Z")));

    warehouse.upsertRows("central", "org_events", List.of("org_slug"), rows);
    warehouse.upsertRows("central", "org_events", List.of("org_slug"), rows);

    assertThat(stub.requests("GET", API + "/datasets/central/tables/org_events"))
        .as("the partitioning is read once per table, then remembered")
        .singleElement()
        .satisfies(r -> assertThat(r.query().get("fields")).contains("timePartitioning"));
    List<Request> merges = queries();
    assertThat(merges).hasSize(2);
    JsonNode merge = merges.get(0).queryConfig();
    assertThat(merge.path("query").asText())
        .contains(
            " S ON T.`org_slug` = S.`org_slug` AND (T.`created_at` >= @p0_lo AND T.`created_at`"
                + " < @p0_hi OR T.`created_at` >= @p1_lo AND T.`created_at` < @p1_hi) WHEN");
    Map<String, String> bounds = new LinkedHashMap<>();
    for (JsonNode p : merge.path("queryParameters")) {
      if (p.path("name").asText().startsWith("p")) {
        assertThat(p.path("parameterType").path("type").asText()).isEqualTo("TIMESTAMP");
        bounds.put(p.path("name").asText(), p.path("parameterValue").path("value").asText());
      }
    }
    assertThat(bounds).hasSize(4);
    assertThat(bounds.get("p0_lo")).startsWith("2026-01-01 00:00:00");
    assertThat(bounds.get("p0_hi")).startsWith("2026-01-02 00:00:00");
    assertThat(bounds.get("p1_lo")).startsWith("2026-01-03 00:00:00");
    assertThat(bounds.get("p1_hi")).startsWith("2026-01-04 00:00:00");
    assertThat(warehouse.selectRows("central", "org_events", Map.of(), 10))
        .as("the second upsert matched the rows in their partitions and replaced them")
        .hasSize(2);
  }

  @Test
  void upsert_intoAnUnpartitionedTable_hasNoPartitionPredicate() {
    provision(central());
    stub.clearRequests();

    warehouse.upsertRows(
        "central",
        "org_profiles",
        List.of("org_slug"),
        List.of(
            Map.of(
                "org_slug",
                "a",
                "status",
                "ACTIVE",
                "created_at",
                Instant.parse("2026-01-01T00:00:00Z"))));

    assertThat(queries())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.sql())
                    .contains(" S ON T.`org_slug` = S.`org_slug` WHEN MATCHED")
                    .doesNotContain("@p0_lo"));
  }

  @Test
  void everyQueryJobOfAJob_carriesItsLabels_aJobTimeout_andTheByteCap() {
    String jobId = "7C9E6679-7425-40DE-944B-E07FC1F90AE7";
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("org_slug", "acme");
    row.put("status", "ACTIVE");
    row.put("created_at", Instant.parse("2026-01-01T00:00:00Z"));

    JobFence.under(
        JobLabelsTest.lease(jobId, CommandType.ONBOARD, "acme"),
        () -> {
          provision(central());
          warehouse.bulkSnapshot(List.of("central")); // on the adapter's own threads
          warehouse.upsertRows("central", "org_profiles", List.of("org_slug"), List.of(row));
          warehouse.insertRows(
              "central",
              "org_events",
              List.of(Map.of("org_slug", "acme", "created_at", Instant.now())));
          return warehouse.selectRows("central", "org_profiles", Map.of("org_slug", "acme"), 1);
        });

    List<Request> queries = queries();
    assertThat(queries.stream().map(Request::sql))
        .anyMatch(q -> q.contains("INFORMATION_SCHEMA"))
        .anyMatch(q -> q.startsWith("MERGE"))
        .anyMatch(q -> q.startsWith("INSERT"))
        .anyMatch(q -> q.startsWith("SELECT * FROM"));
    assertThat(queries)
        .allSatisfy(
            r -> {
              JsonNode config = r.body().path("configuration");
              assertThat(json.convertValue(config.path("labels"), Map.class))
                  .containsExactlyInAnyOrderEntriesOf(
                      Map.of(
                          "app", "org-provisioner",
                          "command_type", "onboard",
                          "job_id", jobId.toLowerCase(java.util.Locale.ROOT),
                          "org", "acme"));
              // An upsert's own: what its caller has left of the query timeout when it is sent.
              assertThat(config.path("jobTimeoutMs").asLong())
                  .isBetween(
                      BigQuerySettings.DEFAULT_QUERY_TIMEOUT.toMillis() - 1_000,
                      BigQuerySettings.DEFAULT_QUERY_TIMEOUT.toMillis());
              assertThat(config.path("query").path("maximumBytesBilled").asText())
                  .isEqualTo(String.valueOf(MAX_BYTES));
            });
  }

  @Test
  void queryJobsOfADriftCheck_carryItsCommandTypeAndNoOrg_andThoseOutsideAJobNone() {
    JobFence.under(
        JobLabelsTest.lease("drift-1", CommandType.DRIFT_CHECK, null),
        () -> warehouse.bulkSnapshot(List.of("org_a")));
    List<Request> drift = queries();
    stub.clearRequests();
    warehouse.bulkSnapshot(List.of("central"));

    assertThat(drift)
        .hasSize(7)
        .allSatisfy(
            r ->
                assertThat(
                        json.convertValue(r.body().path("configuration").path("labels"), Map.class))
                    .containsEntry("command_type", "drift_check")
                    .containsEntry("job_id", "drift-1")
                    .doesNotContainKey("org"));
    assertThat(queries())
        .isNotEmpty()
        .allSatisfy(
            r ->
                assertThat(
                        json.convertValue(r.body().path("configuration").path("labels"), Map.class))
                    .containsExactlyInAnyOrderEntriesOf(
                        Map.of("app", "org-provisioner", "command_type", "none")));
  }

  @Test
  void managedDatasets_useTheLabelFilter() {
    provision(central());
    stub.putDataset(PROJECT, "someone_else", "EU", Map.of("team", "x"));
    stub.clearRequests();

    assertThat(warehouse.managedDatasets()).containsExactly("central");
    assertThat(stub.requests("GET", API + "/datasets"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.query()).containsEntry("filter", "labels.managed-by:org-provisioner"));
  }
}
