package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.bigquery.StubScanCosts.Scan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What row writes and reads cost on BigQuery, estimated by the stub from table sizes. */
class BigQueryCostTest {

  private static final String PROJECT = "test-project";
  private static final long CAP = 200L << 20;
  private static final long DAYS = 365;
  // org_events rows are 60 bytes (two strings of 26 bytes, one timestamp): ~11 GB in all.
  private static final long ROWS = 500_000L * DAYS;

  private final Catalog catalog = CatalogFixtures.minimal();
  private BigQueryStub stub;
  private BigQueryWarehouse warehouse;

  @BeforeEach
  void start() {
    stub = BigQueryStub.start();
    warehouse =
        BigQueryWarehouse.create(
            new BigQuerySettings(PROJECT, "EU", Optional.of(stub.host()), CAP, 4));
    DesiredDataset central =
        new DesiredDataset("central", "EU", catalog.central(), "central", null);
    Planner.plan(central, warehouse.freshSnapshot("central"), warehouse::viewSql)
        .steps()
        .forEach(warehouse::apply);
    stub.declareTableSize(PROJECT, "central", "org_events", ROWS, DAYS);
    stub.clearScans();
  }

  @AfterEach
  void stop() {
    warehouse.close();
    stub.close();
  }

  private static Map<String, Object> event(String org, String at) {
    return Map.of("org_slug", org, "kind", "x", "created_at", Instant.parse(at));
  }

  @Test
  void upsertIntoAPartitionedTable_readsOnlyThePartitionsOfItsRows() {
    warehouse.upsertRows(
        "central",
        "org_events",
        List.of("org_slug"),
        List.of(event("a", "2026-01-01T08:00:00Z"), event("b", "2026-01-01T22:00:00Z")));

    Scan merge = stub.scans().get(0);
    assertThat(merge.kind()).isEqualTo("MERGE");
    assertThat(merge.partitionsRead()).isEqualTo(1);
    assertThat(merge.partitions()).isEqualTo(DAYS);
    assertThat(merge.bytesRead()).isEqualTo(merge.bytesUnpruned() / DAYS);
    assertThat(merge.bytesUnpruned()).isGreaterThan(CAP);
    assertThat(merge.bytesBilled()).isLessThan(CAP);
  }

  @Test
  void aLookupNamingThePartitionValue_readsOnlyThatPartition() {
    Instant at = Instant.parse("2026-01-01T08:00:00Z");
    warehouse.upsertRows(
        "central", "org_events", List.of("org_slug"), List.of(event("a", at.toString())));
    stub.clearScans();

    assertThat(
            warehouse.selectRows(
                "central", "org_events", Map.of("org_slug", "a", "created_at", at), 1))
        .hasSize(1);
    Scan select = stub.scans().get(0);
    assertThat(select.kind()).isEqualTo("SELECT");
    assertThat(select.partitionsRead()).isEqualTo(1);
    assertThat(select.bytesRead()).isEqualTo(select.bytesUnpruned() / DAYS);
  }

  @Test
  void aQueryBilledAboveTheCap_failsPermanently_namingTheConfigKey() {
    assertThatThrownBy(
            () -> warehouse.selectRows("central", "org_events", Map.of("org_slug", "a"), 1))
        .isInstanceOfSatisfying(
            WarehouseException.class,
            e -> assertThat(e.kind()).isEqualTo(WarehouseException.Kind.PERMANENT))
        .hasMessageContaining("HTTP 400 [bytesBilledLimitExceeded]")
        .hasMessageContaining("Query exceeded limit for bytes billed: " + CAP)
        .hasMessageContaining("warehouse.bigquery.maximum-bytes-billed");
    assertThat(stub.scans()).as("a refused query is not run").isEmpty();
  }

  @Test
  void everyQueryIsBilledAtLeastTenMebibytes() {
    warehouse.upsertRows(
        "central",
        "org_profiles",
        List.of("org_slug"),
        List.of(
            Map.of(
                "org_slug",
                "a",
                "status",
                "A",
                "created_at",
                Instant.parse("2026-01-01T00:00:00Z"))));
    warehouse.bulkSnapshot(List.of("central"));

    assertThat(stub.scans())
        .as("the MERGE and the seven INFORMATION_SCHEMA reads")
        .hasSize(8)
        .allSatisfy(s -> assertThat(s.bytesBilled()).isEqualTo(StubScanCosts.MIN_BILLED));
  }
}
