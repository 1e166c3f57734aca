package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.CatalogLoader;
import dev.orgprovisioner.catalog.CatalogSource;
import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.FieldType;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.plan.DifferenceKind;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.plan.SyncStatus;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A catalog changed between releases: additive changes are applied once, others only reported. */
class CatalogEvolutionTest {

  private static final OrgSlug ACME = OrgSlug.parse("acme");
  private static final ProvisioningSettings SETTINGS =
      new ProvisioningSettings(Environment.LOCAL, "EU");

  @TempDir Path tmp;
  private DuckDbWarehouse warehouse;

  @BeforeEach
  void provisionRelease1() {
    warehouse = new DuckDbWarehouse(":memory:");
    ProvisioningService release1 = service(CatalogFixtures.MINIMAL);
    release1.bootstrap(false);
    release1.syncOrg(ACME, false);
    assertThat(release1.planOrg(ACME).isNoop()).isTrue();
  }

  @AfterEach
  void close() {
    warehouse.close();
  }

  private ProvisioningService service(Path catalogRoot) {
    return new ProvisioningService(
        CatalogLoader.load(CatalogSource.directory(catalogRoot)), warehouse, SETTINGS);
  }

  private Column usageDailyColumn(String name) {
    return Column.find(
            warehouse
                .freshSnapshot("acme_local")
                .orElseThrow()
                .table("usage_daily")
                .orElseThrow()
                .columns(),
            name)
        .orElseThrow();
  }

  @Test
  void newNullableColumn_isPlannedAppliedAndThenANoop() {
    Path release2 = CatalogFixtures.copy(CatalogFixtures.MINIMAL, tmp);
    CatalogFixtures.edit(
        release2,
        "org/tables/usage_daily.json",
        "{\"name\": \"tags\"",
        "{\"name\": \"region\", \"type\": \"STRING\", \"mode\": \"NULLABLE\", \"description\":"
            + " \"Region.\"},\n  {\"name\": \"tags\"");
    ProvisioningService service = service(release2);

    SyncResult first = service.syncOrg(ACME, false);
    SyncResult second = service.syncOrg(ACME, false);

    assertThat(first.applied()).containsExactly("add columns [region] to acme_local.usage_daily");
    assertThat(second.applied()).isEmpty();
    assertThat(second.plan().status()).isEqualTo(SyncStatus.SYNCED);
    Column region = usageDailyColumn("region");
    assertThat(region.type()).isEqualTo(FieldType.STRING);
  }

  @Test
  void retypedColumn_isReportedAndNeverApplied() {
    Path release2 = CatalogFixtures.copy(CatalogFixtures.MINIMAL, tmp);
    CatalogFixtures.edit(
        release2,
        "org/tables/usage_daily.json",
        "\"amount\", \"type\": \"NUMERIC\"",
        "\"amount\", \"type\": \"FLOAT\"");
    ProvisioningService service = service(release2);

    SyncResult result = service.syncOrg(ACME, false);

    assertThat(result.applied()).isEmpty();
    assertThat(result.plan().nonAdditive())
        .extracting(d -> d.kind())
        .containsExactly(DifferenceKind.COLUMN_TYPE_CHANGED);
    Column amount = usageDailyColumn("amount");
    assertThat(amount.type()).isEqualTo(FieldType.NUMERIC);
  }

  @Test
  void dryRun_reportsThePlanAndChangesNothing() {
    Path release2 = CatalogFixtures.copy(CatalogFixtures.MINIMAL, tmp);
    CatalogFixtures.edit(
        release2,
        "org/catalog.yml",
        "clustering: [provider]",
        "clustering: [provider, usage_date]");
    ProvisioningService service = service(release2);

    SyncResult dry = service.syncOrg(ACME, true);

    assertThat(dry.applied()).isEmpty();
    assertThat(dry.plan().steps()).singleElement().asString().contains("CLUSTERING");
    assertThat(service.planOrg(ACME).steps())
        .hasSize(1)
        .first()
        .isInstanceOf(PlanStep.UpdateTableOptions.class);
  }

  @Test
  void orgStatus_walksThroughNotFoundProfileOnlyAndSynced() {
    ProvisioningService service = service(CatalogFixtures.MINIMAL);
    assertThat(service.orgStatus(ACME).status()).isEqualTo(SyncStatus.NOT_FOUND);

    warehouse.upsertRows(
        "organizations",
        "org_profiles",
        java.util.List.of("org_slug"),
        java.util.List.of(
            java.util.Map.of(
                "org_slug", "acme", "status", "ACTIVE", "created_at", java.time.Instant.now())));
    assertThat(service.orgStatus(ACME).status()).isEqualTo(SyncStatus.SYNCED);

    warehouse.dropByHand("acme_local");
    assertThat(service.orgStatus(ACME).status()).isEqualTo(SyncStatus.PROFILE_ONLY);
  }

  @Test
  void centralStatus_isNotBootstrappedOnAnEmptyWarehouse() {
    try (DuckDbWarehouse empty = new DuckDbWarehouse(":memory:")) {
      ProvisioningService service =
          new ProvisioningService(CatalogFixtures.minimal(), empty, SETTINGS);
      assertThat(service.centralStatus().status()).isEqualTo(SyncStatus.NOT_BOOTSTRAPPED);
      assertThat(service.orgStatus(ACME).status()).isEqualTo(SyncStatus.NOT_BOOTSTRAPPED);
    }
  }
}
