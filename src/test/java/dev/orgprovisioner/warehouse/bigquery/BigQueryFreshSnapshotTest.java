package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.Clustering;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.LegacySQLTypeName;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import com.google.cloud.bigquery.TimePartitioning;
import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.PartitionType;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.ObservedTable;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fresh read of one dataset through the REST API: the same snapshot as the bulk read when
 * nothing lags, the current state when INFORMATION_SCHEMA lags (the stub's lag mode), no query, and
 * every call bounded.
 */
class BigQueryFreshSnapshotTest {

  private static final String PROJECT = "test-project";
  private static final String API = "/bigquery/v2/projects/" + PROJECT;
  private static final Catalog CATALOG = CatalogFixtures.project();

  private BigQueryStub stub;
  private BigQueryWarehouse warehouse;

  @BeforeEach
  void start() {
    stub = BigQueryStub.start();
    warehouse = warehouse(Duration.ofSeconds(10));
  }

  private BigQueryWarehouse warehouse(Duration callTimeout) {
    return BigQueryWarehouse.create(
        new BigQuerySettings(
            PROJECT,
            "EU",
            Optional.of(stub.host()),
            1L << 30,
            2,
            callTimeout,
            Duration.ofSeconds(30)));
  }

  @AfterEach
  void stop() {
    warehouse.close();
    stub.close();
  }

  private DesiredDataset central() {
    return new DesiredDataset("organizations", "EU", CATALOG.central(), "organizations", null);
  }

  private DesiredDataset org() {
    return new DesiredDataset("acme_prod", "EU", CATALOG.org(), "organizations", "acme");
  }

  private void provision(DesiredDataset d) {
    Planner.plan(d, warehouse.freshSnapshot(d.name()), warehouse::viewSql)
        .steps()
        .forEach(warehouse::apply);
  }

  private BigQuery client() {
    return BigQueryOptions.newBuilder()
        .setProjectId(PROJECT)
        .setHost(stub.host())
        .setCredentials(NoCredentials.getInstance())
        .setRetrySettings(ServiceOptions.getNoRetrySettings())
        .build()
        .getService();
  }

  @Test
  void everyDatasetOfTheProjectCatalog_readsTheSameFreshAsInBulk() {
    provision(central());
    provision(org());

    for (DesiredDataset d : List.of(central(), org())) {
      ObservedDataset fresh = warehouse.freshSnapshot(d.name()).orElseThrow();

      assertThat(fresh).isEqualTo(warehouse.bulkSnapshot(List.of(d.name())).get(d.name()));
      assertThat(fresh.tables()).hasSize(d.catalog().tables().size());
      assertThat(fresh.views()).hasSize(d.catalog().views().size());
      assertThat(Planner.plan(d, Optional.of(fresh), warehouse::viewSql).isNoop())
          .as(d.name())
          .isTrue();
    }
  }

  @Test
  void tablesTheCatalogCannotDeclare_readTheSameFreshAsInBulk() {
    stub.putDataset(PROJECT, "hand_made", "EU", Map.of("team", "data"));
    BigQuery client = client();
    Schema schema =
        Schema.of(
            Field.of("Org_Slug", LegacySQLTypeName.STRING),
            Field.newBuilder("at", LegacySQLTypeName.TIMESTAMP)
                .setMode(Field.Mode.REQUIRED)
                .setDescription(" ")
                .build());
    client.create(
        TableInfo.newBuilder(
                TableId.of(PROJECT, "hand_made", "by_ingestion_time"),
                StandardTableDefinition.newBuilder()
                    .setSchema(schema)
                    .setTimePartitioning(TimePartitioning.of(TimePartitioning.Type.DAY))
                    .build())
            .build());
    client.create(
        TableInfo.newBuilder(
                TableId.of(PROJECT, "hand_made", "hourly"),
                StandardTableDefinition.newBuilder()
                    .setSchema(schema)
                    .setTimePartitioning(
                        TimePartitioning.newBuilder(TimePartitioning.Type.HOUR)
                            .setField("at")
                            .setExpirationMs(36L * 3_600_000)
                            .build())
                    .setClustering(Clustering.newBuilder().setFields(List.of("org_slug")).build())
                    .build())
            .setRequirePartitionFilter(true)
            .build());

    ObservedDataset fresh = warehouse.freshSnapshot("hand_made").orElseThrow();

    assertThat(fresh).isEqualTo(warehouse.bulkSnapshot(List.of("hand_made")).get("hand_made"));
    ObservedTable hourly = fresh.table("hourly").orElseThrow();
    assertThat(hourly.partitioning().type()).isEqualTo(PartitionType.HOUR);
    assertThat(hourly.partitioning().expirationDays()).isEqualTo(2L);
    assertThat(hourly.partitioning().requirePartitionFilter()).isTrue();
    assertThat(hourly.clustering()).containsExactly("Org_Slug");
    assertThat(fresh.table("by_ingestion_time").orElseThrow().partitioning().field())
        .isEqualTo("_PARTITIONTIME");
  }

  @Test
  void freshRead_isDatasetsGetTablesListAndOneTablesGetPerObject_neverAQuery() {
    provision(central());
    int objects = CATALOG.central().tables().size() + CATALOG.central().views().size();
    stub.clearRequests();

    warehouse.freshSnapshot("organizations").orElseThrow();

    assertThat(stub.requests("POST", API + "/queries")).isEmpty();
    assertThat(stub.requests("GET", API + "/datasets/organizations")).hasSize(1);
    assertThat(stub.requests("GET", API + "/datasets/organizations/tables")).hasSize(1);
    assertThat(stub.requests("GET", API + "/datasets/organizations/tables/[^/]+")).hasSize(objects);
  }

  @Test
  void absentDataset_isEmpty_afterOneCall() {
    assertThat(warehouse.freshSnapshot("nowhere")).isEmpty();

    assertThat(stub.requests()).hasSize(1);
  }

  @Test
  void underLag_theBulkReadMissesTheChangeJustMade_theFreshReadShowsIt() {
    provision(central());
    DesiredDataset org = org();
    stub.lagInformationSchema();

    provision(org);

    assertThat(warehouse.bulkSnapshot(List.of(org.name()))).isEmpty();
    ObservedDataset fresh = warehouse.freshSnapshot(org.name()).orElseThrow();
    assertThat(Planner.plan(org, Optional.of(fresh), warehouse::viewSql).isNoop()).isTrue();
    stub.catchUpInformationSchema();
    assertThat(warehouse.bulkSnapshot(List.of(org.name()))).containsEntry(org.name(), fresh);
  }

  @Test
  void aTableDeletedBetweenTheListAndItsGet_isLeftOut() {
    provision(central());
    stub.fail("GET", API + "/datasets/organizations/tables/org_profiles", 1, 404, "notFound");

    ObservedDataset fresh = warehouse.freshSnapshot("organizations").orElseThrow();

    assertThat(fresh.table("org_profiles")).isEmpty();
    assertThat(fresh.tables()).hasSize(CATALOG.central().tables().size() - 1);
  }

  @Test
  void aHungTablesGet_failsTheReadAsTransient_withinTheCallTimeout() {
    provision(central());
    stub.hang(r -> r.is("GET", API + "/datasets/organizations/tables/org_profiles"), 1);

    long start = System.nanoTime();
    try (BigQueryWarehouse impatient = warehouse(Duration.ofMillis(500))) {
      assertThatThrownBy(() -> impatient.freshSnapshot("organizations"))
          .isInstanceOf(WarehouseException.class)
          .satisfies(
              e ->
                  assertThat(((WarehouseException) e).kind())
                      .as("%s", e.getMessage())
                      .isEqualTo(Kind.TRANSIENT));
    }

    // Bounded by the call timeout (500 ms); not a timing assertion on the machine's speed.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void aStepAppliedUnderLag_isSeenByTheNextFreshRead() {
    provision(central());
    provision(org());
    stub.lagInformationSchema();

    warehouse.apply(
        new PlanStep.RelaxColumns(org().name(), "subscription_plans", List.of("org_slug")));

    assertThat(
            warehouse
                .freshSnapshot(org().name())
                .orElseThrow()
                .table("subscription_plans")
                .orElseThrow()
                .columns())
        .filteredOn(c -> c.name().equals("org_slug"))
        .singleElement()
        .satisfies(c -> assertThat(c.mode().name()).isEqualTo("NULLABLE"));
  }
}
