package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.warehouse.RetryingWarehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every BigQuery call is bounded: concurrency aborts of a MERGE are retried, a hung call fails
 * (transient) within its timeout.
 */
class BigQueryBoundedTimeTest {

  private static final String PROJECT = "test-project";
  private static final String API = "/bigquery/v2/projects/" + PROJECT;
  private static final String CONFLICT =
      "Could not serialize access to table test-project:central.org_profiles due to concurrent"
          + " update";

  private final Catalog catalog = CatalogFixtures.minimal();
  private BigQueryStub stub;
  private BigQueryWarehouse warehouse;

  @BeforeEach
  void start() {
    stub = BigQueryStub.start();
    warehouse =
        BigQueryWarehouse.create(
            new BigQuerySettings(
                PROJECT,
                "EU",
                Optional.of(stub.host()),
                1L << 30,
                4,
                Duration.ofMillis(500),
                Duration.ofSeconds(2)));
    DesiredDataset central =
        new DesiredDataset("central", "EU", catalog.central(), "central", null);
    // Set up with the default timeouts: on a loaded machine a setup request may take 500 ms.
    try (BigQueryWarehouse setup =
        BigQueryWarehouse.create(
            new BigQuerySettings(PROJECT, "EU", Optional.of(stub.host()), 1L << 30, 4))) {
      Planner.plan(central, setup.freshSnapshot("central"), setup::viewSql)
          .steps()
          .forEach(setup::apply);
    }
    stub.clearRequests();
  }

  @AfterEach
  void stop() {
    warehouse.close();
    stub.close();
  }

  private static Map<String, Object> profile(String status) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("org_slug", "acme");
    row.put("status", status);
    row.put("created_at", Instant.parse("2026-01-01T00:00:00Z"));
    return row;
  }

  private static boolean isMerge(BigQueryStub.Request r) {
    return r.isQuery() && r.sql().startsWith("MERGE");
  }

  @Test
  void mergeAbortedByAConcurrentUpdate_isTransient_retried_andThenSucceeds() {
    stub.fail(BigQueryBoundedTimeTest::isMerge, 2, 400, "invalidQuery", CONFLICT);
    RetryingWarehouse retrying = new RetryingWarehouse(warehouse, 4, Duration.ofMillis(1));

    retrying.upsertRows("central", "org_profiles", List.of("org_slug"), List.of(profile("A")));

    assertThat(stub.requests().stream().filter(BigQueryBoundedTimeTest::isMerge)).hasSize(3);
    assertThat(retrying.retries()).isEqualTo(2);
    assertThat(warehouse.selectRows("central", "org_profiles", Map.of("org_slug", "acme"), 5))
        .singleElement()
        .satisfies(r -> assertThat(r).containsEntry("status", "A"));
  }

  @Test
  void concurrentUpdateAbort_isClassifiedTransient_notPermanent() {
    stub.fail(BigQueryBoundedTimeTest::isMerge, 1, 400, "invalidQuery", CONFLICT);

    assertThatThrownBy(
            () ->
                warehouse.upsertRows(
                    "central", "org_profiles", List.of("org_slug"), List.of(profile("A"))))
        .isInstanceOf(WarehouseException.class)
        .satisfies(e -> assertThat(((WarehouseException) e).kind()).isEqualTo(Kind.TRANSIENT))
        .hasMessageContaining("concurrent update");
  }

  @Test
  void anOrdinaryInvalidQuery_staysPermanent() {
    stub.fail(BigQueryBoundedTimeTest::isMerge, 1, 400, "invalidQuery", "Unrecognized name: x");

    assertThatThrownBy(
            () ->
                warehouse.upsertRows(
                    "central", "org_profiles", List.of("org_slug"), List.of(profile("A"))))
        .satisfies(e -> assertThat(((WarehouseException) e).kind()).isEqualTo(Kind.PERMANENT));
  }

  @Test
  void aHungQuery_failsAsTransient_withinItsTimeout() {
    stub.hang(BigQueryBoundedTimeTest::isMerge, 1);

    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                warehouse.upsertRows(
                    "central", "org_profiles", List.of("org_slug"), List.of(profile("A"))))
        .isInstanceOf(WarehouseException.class)
        .satisfies(
            e ->
                assertThat(((WarehouseException) e).kind())
                    .as("%s", e.getMessage())
                    .isEqualTo(Kind.TRANSIENT));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // Bounded by the query timeout (2 s); not a timing assertion on the machine's speed.
    assertThat(took).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void aHungPollForAQueryJobsResult_failsAsTransient_withinTheQueryTimeout() {
    stub.hang(r -> r.is("GET", API + "/queries/.*"), 100);

    assertThatThrownBy(
            () ->
                warehouse.upsertRows(
                    "central", "org_profiles", List.of("org_slug"), List.of(profile("A"))))
        .isInstanceOf(WarehouseException.class)
        .satisfies(
            e ->
                assertThat(((WarehouseException) e).kind())
                    .as("%s", e.getMessage())
                    .isEqualTo(Kind.TRANSIENT));
    assertThat(stub.requests().stream().filter(BigQueryBoundedTimeTest::isMerge))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.body().path("configuration").path("jobTimeoutMs").asLong())
                    .as("BigQuery stops the job by the time the worker stops waiting")
                    .isBetween(1_000L, 2_000L));
  }

  @Test
  void aHungMetadataCall_failsAsTransient_withinItsTimeout() {
    stub.hang(r -> r.is("GET", API + "/datasets/central/tables/org_profiles"), 1);

    assertThatThrownBy(
            () ->
                warehouse.apply(
                    new dev.orgprovisioner.plan.PlanStep.RelaxColumns(
                        "central", "org_profiles", List.of("status"))))
        .isInstanceOf(WarehouseException.class)
        .satisfies(
            e ->
                assertThat(((WarehouseException) e).kind())
                    .as("%s", e.getMessage())
                    .isEqualTo(Kind.TRANSIENT));
  }
}
