package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.plan.Classification;
import dev.orgprovisioner.plan.Difference;
import dev.orgprovisioner.plan.DifferenceKind;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.Plan;
import dev.orgprovisioner.plan.SyncStatus;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.bigquery.BigQuerySettings;
import dev.orgprovisioner.warehouse.bigquery.BigQueryStub;
import dev.orgprovisioner.warehouse.bigquery.BigQueryWarehouse;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two workers of two catalog versions side by side on one warehouse (a rolling deploy): the newer
 * one upgrades datasets, the older one never downgrades them and reads what it does not know as
 * informational. On DuckDB and on the BigQuery stub through the real client.
 */
class MixedCatalogVersionsTest {

  private static final OrgSlug ACME = OrgSlug.parse("acme");
  private static final OrgSlug BETA = OrgSlug.parse("beta");
  private static final ProvisioningSettings SETTINGS =
      new ProvisioningSettings(Environment.LOCAL, "EU");
  private static final CommandDecoder DECODER =
      CommandDecoder.fromClasspath(MixedCatalogVersionsTest.class.getClassLoader(), 64 * 1024);

  private BigQueryStub stub;
  private Warehouse warehouse;
  private ProvisioningService v1;
  private ProvisioningService v2;

  private void start(String kind) {
    if (kind.equals("duckdb")) {
      warehouse = new DuckDbWarehouse(":memory:");
    } else {
      stub = BigQueryStub.start();
      warehouse =
          BigQueryWarehouse.create(
              new BigQuerySettings("test-project", "EU", Optional.of(stub.host()), 1L << 30, 4));
    }
    v1 = new ProvisioningService(CatalogFixtures.minimal(), warehouse, SETTINGS);
    v2 = new ProvisioningService(CatalogFixtures.minimalV2(), warehouse, SETTINGS);
    v1.bootstrap(false);
    for (OrgSlug org : List.of(ACME, BETA)) {
      warehouse.upsertRows(
          "organizations",
          "org_profiles",
          List.of("org_slug"),
          List.of(
              Map.of("org_slug", org.value(), "status", "ACTIVE", "created_at", Instant.now())));
      v1.syncOrg(org, false);
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (warehouse instanceof AutoCloseable c) {
      c.close();
    }
    if (stub != null) {
      stub.close();
    }
  }

  private ObservedDataset acme() {
    return warehouse.freshSnapshot("acme_local").orElseThrow();
  }

  private static List<DifferenceKind> kinds(List<Difference> diffs) {
    return diffs.stream().map(Difference::kind).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"duckdb", "bigquery"})
  void newerWorkerUpgrades_olderWorkerNeverDowngrades(String kind) {
    start(kind);

    SyncResult upgrade = v2.syncOrg(ACME, false);
    v2.bootstrap(false);
    SyncResult olderSync = v1.syncOrg(ACME, false);
    SyncResult olderBootstrap = v1.bootstrap(false);

    assertThat(upgrade.applied()).isNotEmpty();
    assertThat(olderSync.applied()).isEmpty();
    assertThat(olderBootstrap.applied()).isEmpty();
    ObservedDataset acme = acme();
    assertThat(acme.labels()).containsEntry("schema-version", "2");
    assertThat(acme.description()).isEqualTo("Per-org test dataset, version 2.");
    assertThat(acme.table("usage_daily").orElseThrow().labels())
        .containsEntry("schema-version", "2");
    assertThat(acme.table("usage_daily").orElseThrow().description())
        .isEqualTo("Daily usage per provider and region.");
    assertThat(acme.view("x_events").orElseThrow().labels()).containsEntry("schema-version", "2");
    assertThat(acme.view("x_events").orElseThrow().description())
        .isEqualTo("The org's events with their kind.");
    assertThat(warehouse.freshSnapshot("organizations").orElseThrow().labels())
        .containsEntry("schema-version", "2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"duckdb", "bigquery"})
  void olderWorker_readsNewerColumnsTablesAndVersionsAsInformational(String kind) {
    start(kind);
    v2.syncOrg(ACME, false);

    Plan plan = v1.planOrg(ACME);

    assertThat(plan.isNoop()).isTrue();
    assertThat(plan.status()).isEqualTo(SyncStatus.SYNCED);
    assertThat(plan.differences(Classification.ADDITIVE)).isEmpty();
    assertThat(plan.differences(Classification.NON_ADDITIVE)).isEmpty();
    assertThat(plan.differences(Classification.INFORMATIONAL))
        .extracting(d -> d.kind() + " " + d.object() + " " + d.path())
        .containsExactlyInAnyOrder(
            "NEWER_VERSION null schema-version",
            "NEWER_VERSION usage_daily schema-version",
            "NEWER_VERSION invoices schema-version",
            "NEWER_VERSION x_events schema-version",
            "EXTRA_COLUMN usage_daily region",
            "EXTRA_TABLE credits null");
    assertThat(v1.planOrg(ACME, RecordedDataset.NONE, true).steps())
        .as("views=recreate leaves a newer view alone too")
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"duckdb", "bigquery"})
  void olderWorker_stillRepairsWhatItsOwnCatalogDeclares(String kind) {
    start(kind);
    v2.syncOrg(ACME, false);
    if (stub != null) {
      stub.dropTable("test-project", "acme_local", "invoices");
    } else {
      ((DuckDbWarehouse) warehouse).execute("DROP TABLE acme_local.invoices");
    }

    SyncResult repair = v1.syncOrg(ACME, false);

    assertThat(repair.applied()).containsExactly("create table acme_local.invoices");
    assertThat(acme().labels()).containsEntry("schema-version", "2");
    assertThat(kinds(v1.planOrg(ACME).differences(Classification.ADDITIVE))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"duckdb", "bigquery"})
  void olderWorkersKeyedWrite_keepsTheValueOfAColumnOnlyTheNewerCatalogHas(String kind) {
    start(kind);
    v2.bootstrap(false);
    warehouse.upsertRows(
        "organizations",
        "org_profiles",
        List.of("org_slug"),
        List.of(
            Map.of(
                "org_slug",
                "acme",
                "status",
                "ACTIVE",
                "tier",
                "gold",
                "created_at",
                Instant.now())));

    warehouse.upsertRows(
        "organizations",
        "org_profiles",
        List.of("org_slug"),
        List.of(Map.of("org_slug", "acme", "status", "SUSPENDED", "created_at", Instant.now())));

    Map<String, Object> row =
        warehouse.selectRows("organizations", "org_profiles", Map.of("org_slug", "acme"), 1).get(0);
    assertThat(row).containsEntry("status", "SUSPENDED").containsEntry("tier", "gold");
    assertThat(kinds(v1.planCentral().differences(Classification.INFORMATIONAL)))
        .contains(DifferenceKind.EXTRA_COLUMN, DifferenceKind.NEWER_VERSION);
    assertThat(v1.planCentral().isNoop()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"duckdb", "bigquery"})
  void status_showsTheDatasetsVersionAndTheWorkers(String kind) {
    start(kind);
    v2.syncOrg(ACME, false);

    StatusReport older = v1.orgStatus(ACME);
    StatusReport newer = v2.orgStatus(ACME);
    StatusReport notUpgraded = v2.orgStatus(BETA);

    assertThat(older.status()).isEqualTo(SyncStatus.SYNCED);
    assertThat(older.catalogVersion()).isEqualTo("2");
    assertThat(older.workerCatalogVersion()).isEqualTo("1");
    assertThat(newer.catalogVersion()).isEqualTo("2");
    assertThat(newer.workerCatalogVersion()).isEqualTo("2");
    assertThat(notUpgraded.status()).isEqualTo(SyncStatus.OUT_OF_SYNC);
    assertThat(notUpgraded.catalogVersion()).isEqualTo("1");
    assertThat(v1.centralStatus().catalogVersion()).isEqualTo("1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"duckdb", "bigquery"})
  void driftCheck_countsOrgsPerVersion_andAnOlderWorkerQueuesNoRepairOfNewerDatasets(String kind) {
    start(kind);
    v2.syncOrg(ACME, false);
    Ledger ledger = LedgerFixtures.inMemory(Duration.ofSeconds(60));

    Map<String, Object> summary = checker(v1, ledger).run(checkJob(ledger), everything());

    assertThat(summary.get("catalog_version")).isEqualTo("1");
    assertThat(summary.get("catalog_versions")).isEqualTo(Map.of("1", 1, "2", 1));
    assertThat(summary.get("repairs_queued")).isEqualTo(0);
    assertThat(ledger.report(DriftChecker.LATEST_REPORT).orElseThrow())
        .contains("\"catalog_versions\":{\"1\":1,\"2\":1}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"duckdb", "bigquery"})
  void newerWorkersDriftCheck_queuesARepairOfTheOrgStillOnTheOlderVersion(String kind) {
    start(kind);
    v2.bootstrap(false);
    v2.syncOrg(ACME, false);
    Ledger ledger = LedgerFixtures.inMemory(Duration.ofSeconds(60));

    Map<String, Object> summary = checker(v2, ledger).run(checkJob(ledger), everything());

    assertThat(summary.get("catalog_version")).isEqualTo("2");
    assertThat(summary.get("catalog_versions")).isEqualTo(Map.of("1", 1, "2", 1));
    assertThat(summary.get("repairs_queued")).as("beta, still on version 1").isEqualTo(1);
  }

  private static DriftChecker checker(ProvisioningService service, Ledger ledger) {
    return new DriftChecker(
        service,
        ledger,
        new EventFactory("//test"),
        Clock.systemUTC(),
        new DriftChecker.Settings(50, 10));
  }

  private static Command.DriftCheck everything() {
    return new Command.DriftCheck(List.of(), true);
  }

  private static Job checkJob(Ledger ledger) {
    var envelope =
        ((DecodeResult.Accepted)
                DECODER.decode(
                    Map.of(
                        "ce-specversion", "1.0",
                        "ce-type", "drift.check.requested",
                        "ce-id", "check-versions",
                        "ce-source", "//scheduler"),
                    "{\"scope\":\"all\"}".getBytes(StandardCharsets.UTF_8),
                    null))
            .envelope();
    return LedgerFixtures.acceptAndLease(ledger, envelope, "w", Instant.now());
  }
}
