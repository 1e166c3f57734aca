package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.TenantShards;
import dev.orgprovisioner.plan.TenantViews;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.bigquery.BigQuerySettings;
import dev.orgprovisioner.warehouse.bigquery.BigQueryStub;
import dev.orgprovisioner.warehouse.bigquery.BigQueryWarehouse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Orgs past the authorized resources one BigQuery access list holds get their tenant views through
 * the real adapter and client against the stub (which enforces the bound): every views dataset
 * authorized on its shard, every shard on the central dataset, no list over the bound, one list of
 * them all refused, and each org's views reading only its rows.
 *
 * <p>At a tenth of the scale: the stub's bound lowered from BigQuery's 2,500 to 250 and 300 orgs
 * instead of 3,000 (the same shards of a fifth of the bound; the sharding does not depend on the
 * number). That the stub refuses a list past BigQuery's real 2,500 is {@code BigQueryAccessTest}'s,
 * with one call.
 */
class TenantViewsPastTheLimitTest {

  private static final String PROJECT = "test-project";
  private static final int LIMIT = 250;
  private static final int ORGS = 300;
  // Six shards of about 50 orgs: each list stays under the bound that one list of 300 breaks
  // (fewer, fuller shards work too but cost more: every change sends the shard's whole list).
  private static final int SHARDS = 6;

  private final Catalog catalog = CatalogFixtures.minimal();

  @Test
  void orgsPastTheLimit_eachAuthorizedOnItsShard_noListOverTheLimit() {
    ProvisioningSettings settings =
        new ProvisioningSettings(Environment.LOCAL, "EU")
            .withTenantViews(new TenantViewSettings(true, SHARDS));
    try (BigQueryStub stub = BigQueryStub.start();
        BigQueryWarehouse warehouse =
            BigQueryWarehouse.create(
                new BigQuerySettings(PROJECT, "EU", Optional.of(stub.host()), 1L << 30, 4))) {
      stub.limitAuthorizedResources(LIMIT);
      ProvisioningService service = new ProvisioningService(catalog, warehouse, settings);
      service.bootstrap(false);
      TenantAccess tenant = new TenantAccess(service);
      String central = service.centralDataset();
      TenantShards shards = new TenantShards(central, SHARDS);

      Map<String, Set<String>> expected = new HashMap<>();
      long start = System.nanoTime();
      for (int i = 0; i < ORGS; i++) {
        OrgSlug org = OrgSlug.parse(String.format("org_%04d", i));
        AccessEntry analysts =
            AccessEntry.parse(
                "group:analysts@" + org.value().replace('_', '-') + ".example.com",
                AccessEntry.Role.WRITER);
        tenant.converge(org, List.of(analysts), List.of(), new AttemptsStepLog().nextAttempt());
        expected
            .computeIfAbsent(shards.shardDatasetOf(org.value()), s -> new TreeSet<>())
            .add(settings.orgDataset(org) + TenantViews.VIEWS_SUFFIX);
        if (i % 100 == 0) {
          System.out.printf("%d orgs at %d ms%n", i, (System.nanoTime() - start) / 1_000_000);
        }
      }

      assertThat(warehouse.authorizedDatasets(central))
          .containsExactlyInAnyOrderElementsOf(expected.keySet());
      assertThat(expected.values().stream().mapToInt(Set::size).sum()).isEqualTo(ORGS);
      for (Map.Entry<String, Set<String>> shard : expected.entrySet()) {
        List<String> authorized = warehouse.authorizedDatasets(shard.getKey());
        assertThat(authorized)
            .as(shard.getKey())
            .hasSizeLessThanOrEqualTo(LIMIT)
            .containsExactlyInAnyOrderElementsOf(shard.getValue());
      }
      // Past the bound: one list of every org's views dataset is refused whole.
      List<String> all = expected.values().stream().flatMap(Set::stream).toList();
      assertThatThrownBy(() -> warehouse.changeAuthorizedDatasets(central, all, List.of()))
          .isInstanceOf(WarehouseException.class)
          .hasMessageContaining("the maximum is " + LIMIT);
      assertThat(warehouse.authorizedDatasets(central))
          .containsExactlyInAnyOrderElementsOf(expected.keySet());

      // One org, read back from the stub: what its principals can read, and how.
      OrgSlug org = OrgSlug.parse("org_0299");
      TenantViews.Layout layout = tenant.layout(org);
      assertThat(warehouse.accessEntries(layout.viewsDataset()))
          .contains(
              AccessEntry.parse("group:analysts@org-0299.example.com", AccessEntry.Role.READER))
          .noneMatch(e -> e.role() != AccessEntry.Role.READER && e.email().contains("org-0299"));
      assertThat(warehouse.accessEntries(layout.shardDataset()))
          .noneMatch(e -> e.email().contains("example.com"));
      String view = catalog.org().views().get(0).name();
      String shardView = TenantViews.shardView(org.value(), view);
      assertThat(query(stub, layout.viewsDataset(), view))
          .isEqualTo(
              "SELECT * FROM `" + PROJECT + "." + layout.shardDataset() + "." + shardView + "`");
      assertThat(query(stub, layout.shardDataset(), shardView))
          .contains("`" + PROJECT + "." + central + ".")
          .contains("org_slug = 'org_0299'")
          .doesNotContain("org_0298");
    }
  }

  private static String query(BigQueryStub stub, String dataset, String view) {
    JsonNode t = stub.table(PROJECT, dataset, view);
    return t.path("view").path("query").asText();
  }
}
