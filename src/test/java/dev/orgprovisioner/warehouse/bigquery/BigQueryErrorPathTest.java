package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.FieldType;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.PlanStep.AddColumns;
import dev.orgprovisioner.plan.PlanStep.ColumnAddition;
import dev.orgprovisioner.plan.PlanStep.CreateDataset;
import dev.orgprovisioner.plan.PlanStep.RelaxColumns;
import dev.orgprovisioner.plan.PlanStep.UpdateDataset;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.warehouse.RetryingWarehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BigQuery's documented error responses, served by the stub, and their classification. */
class BigQueryErrorPathTest {

  private static final String PROJECT = "test-project";
  private static final String API = "/bigquery/v2/projects/" + PROJECT;

  private final Catalog catalog = CatalogFixtures.minimal();
  private BigQueryStub stub;
  private BigQueryWarehouse warehouse;

  @BeforeEach
  void start() {
    stub = BigQueryStub.start();
    warehouse =
        BigQueryWarehouse.create(
            new BigQuerySettings(PROJECT, "EU", Optional.of(stub.host()), 1L << 30, 4));
  }

  @AfterEach
  void stop() {
    warehouse.close();
    stub.close();
  }

  private DesiredDataset org(String name) {
    return new DesiredDataset(name, "EU", catalog.org(), "central", "acme");
  }

  private void provisionOrg(String name) {
    DesiredDataset d = org(name);
    Planner.plan(d, warehouse.freshSnapshot(name), warehouse::viewSql)
        .steps()
        .forEach(warehouse::apply);
  }

  private static Kind kindOf(Throwable t) {
    return ((WarehouseException) t).kind();
  }

  private static AddColumns addNote(String dataset) {
    return new AddColumns(
        dataset,
        "invoices",
        List.of(
            new ColumnAddition(
                "", Column.of("note", FieldType.STRING, FieldMode.NULLABLE, "A note."))));
  }

  @Test
  void datasetAlreadyExisting_andOurs_isSuccess() {
    stub.putDataset(PROJECT, "org_acme", "EU", Map.of("managed-by", "org-provisioner"));

    warehouse.apply(new CreateDataset("org_acme", "EU", "d", org("org_acme").datasetLabels()));

    assertThat(stub.requests())
        .extracting(r -> r.method() + " " + r.path())
        .containsExactly("POST " + API + "/datasets", "GET " + API + "/datasets/org_acme");
  }

  @Test
  void datasetAlreadyExisting_butNotOurs_isAConflictAndIsNeverAdopted() {
    stub.putDataset(PROJECT, "org_acme", "EU", Map.of("owner", "finance-team"));

    assertThatThrownBy(
            () ->
                warehouse.apply(
                    new CreateDataset("org_acme", "EU", "d", org("org_acme").datasetLabels())))
        .isInstanceOf(WarehouseException.class)
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.CONFLICT))
        .hasMessageContaining("not managed by org-provisioner");
    assertThat(stub.requests()).noneMatch(r -> r.method().equals("PATCH"));
    assertThat(stub.dataset(PROJECT, "org_acme").path("labels").has("managed-by")).isFalse();
  }

  @Test
  void rateLimitExceeded_isTransient_andSucceedsOnRetryThroughRetryingWarehouse() {
    provisionOrg("org_acme");
    stub.fail("PATCH", API + "/datasets/org_acme/tables/invoices", 1, 403, "rateLimitExceeded");
    RetryingWarehouse retrying = new RetryingWarehouse(warehouse, 4, Duration.ofMillis(5));

    retrying.apply(addNote("org_acme"));

    assertThat(retrying.retries()).isEqualTo(1);
    assertThat(stub.requests("PATCH", API + "/datasets/org_acme/tables/invoices")).hasSize(2);
    assertThat(stub.table(PROJECT, "org_acme", "invoices").path("schema").toString())
        .contains("\"note\"");
  }

  @Test
  void rateLimitExceeded_withoutRetry_surfacesAsTransient() {
    provisionOrg("org_acme");
    stub.fail("PATCH", API + "/datasets/org_acme/tables/invoices", 1, 403, "rateLimitExceeded");

    assertThatThrownBy(() -> warehouse.apply(addNote("org_acme")))
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.TRANSIENT))
        .hasMessageContaining("rateLimitExceeded");
  }

  @Test
  void accessDenied403_isPermanent() {
    stub.fail("POST", API + "/datasets", 1, 403, "accessDenied");

    assertThatThrownBy(() -> warehouse.apply(new CreateDataset("org_x", "EU", "d", Map.of())))
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.PERMANENT));
  }

  @Test
  void invalid400_isPermanent_withBigQuerysMessage() {
    provisionOrg("org_acme");

    // BigQuery refuses a REQUIRED column on an existing table; the stub answers as it does.
    AddColumns required =
        new AddColumns(
            "org_acme",
            "invoices",
            List.of(
                new ColumnAddition(
                    "", Column.of("must", FieldType.STRING, FieldMode.REQUIRED, "x"))));

    assertThatThrownBy(() -> warehouse.apply(required))
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.PERMANENT))
        .hasMessageContaining("HTTP 400 [invalid]")
        .hasMessageContaining("Cannot add required field must");
  }

  @Test
  void invalidQuery400_isPermanent_withBigQuerysMessage() {
    provisionOrg("org_acme");

    assertThatThrownBy(
            () -> warehouse.selectRows("org_acme", "invoices", Map.of("no_such_column", "x"), 1))
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.PERMANENT))
        .hasMessageContaining("invalidQuery")
        .hasMessageContaining("Column no_such_column is not present");
  }

  @Test
  void notFound404_onAStep_isNotFound() {
    provisionOrg("org_acme");

    assertThatThrownBy(
            () -> warehouse.apply(new RelaxColumns("org_acme", "no_table", List.of("c"))))
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.NOT_FOUND));
    assertThatThrownBy(() -> warehouse.apply(new UpdateDataset("nowhere", "d", Map.of("a", "b"))))
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.NOT_FOUND));
    assertThatThrownBy(() -> warehouse.selectRows("nowhere", "t", Map.of(), 1))
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.NOT_FOUND));
  }

  @Test
  void notFound404_fromARegionsInformationSchema_isAnEmptySnapshot() {
    stub.fail(
        BigQueryStub.Request::isQuery,
        6,
        404,
        "notFound",
        "Not found: Dataset test-project:region-eu");

    assertThat(warehouse.bulkSnapshot(List.of("org_a", "org_b"))).isEmpty();
    assertThat(stub.requests("GET", API + "/datasets/org_(a|b)")).hasSize(2);
  }

  @Test
  void backendError503_isTransient() {
    stub.fail("PATCH", API + "/datasets/org_acme", 1, 503, "backendError");
    stub.putDataset(PROJECT, "org_acme", "EU", Map.of("managed-by", "org-provisioner"));

    assertThatThrownBy(() -> warehouse.apply(new UpdateDataset("org_acme", "d", Map.of())))
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.TRANSIENT))
        .hasMessageContaining("HTTP 503");
  }

  @Test
  void backendError503_duringASnapshotQuery_isTransient() {
    stub.fail(
        r -> r.isQuery() && r.sql().contains(".COLUMNS "),
        1,
        503,
        "backendError",
        "Backend error. Job aborted.");

    assertThatThrownBy(() -> warehouse.bulkSnapshot(List.of("org_a")))
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.TRANSIENT));
  }

  @Test
  void tooManyRequests429_andInternalError500_areTransient() {
    stub.fail("GET", API + "/datasets", 1, 429, "rateLimitExceeded");
    assertThatThrownBy(() -> warehouse.managedDatasets())
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.TRANSIENT));

    stub.fail("GET", API + "/datasets", 1, 500, "internalError");
    assertThatThrownBy(() -> warehouse.managedDatasets())
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.TRANSIENT));
  }

  @Test
  void unreachableHost_isTransient() {
    String host = stub.host();
    stub.close();
    try (BigQueryWarehouse offline =
        BigQueryWarehouse.create(
            new BigQuerySettings(PROJECT, "EU", Optional.of(host), 1L << 30, 1))) {
      assertThatThrownBy(offline::managedDatasets)
          .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.TRANSIENT));
    }
    stub = BigQueryStub.start();
  }
}
