package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.testing.CatalogFixtures;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Access-list changes as BigQuery sees them: a patch of the whole list conditional on the etag
 * read, made again on the new list when someone changed it meanwhile (412).
 */
class BigQueryAccessTest {

  private static final String PROJECT = "test-project";
  private static final String DATASET_PATH =
      "/bigquery/v2/projects/" + PROJECT + "/datasets/acme_local";

  private final Catalog catalog = CatalogFixtures.minimal();
  private BigQueryStub stub;
  private BigQueryWarehouse warehouse;

  @BeforeEach
  void start() {
    stub = BigQueryStub.start();
    warehouse =
        BigQueryWarehouse.create(
            new BigQuerySettings(PROJECT, "EU", Optional.of(stub.host()), 1L << 30, 4));
    DesiredDataset d = new DesiredDataset("acme_local", "EU", catalog.org(), "central", "acme");
    Planner.plan(d, warehouse.freshSnapshot("acme_local"), warehouse::viewSql)
        .steps()
        .forEach(warehouse::apply);
  }

  @AfterEach
  void stop() {
    warehouse.close();
    stub.close();
  }

  private static boolean isPatch(BigQueryStub.Request r) {
    return (r.method().equals("PATCH") || r.method().equals("PUT"))
        && r.path().equals(DATASET_PATH);
  }

  @Test
  void change_isAPatchOfTheWholeList_conditionalOnTheEtagRead() {
    String etag = stub.dataset(PROJECT, "acme_local").path("etag").asText();
    stub.clearRequests();

    warehouse.changeAccess(
        "acme_local",
        List.of(AccessEntry.parse("group:analysts@acme.com", AccessEntry.Role.READER)),
        List.of());

    List<BigQueryStub.Request> patches =
        stub.requests().stream().filter(BigQueryAccessTest::isPatch).toList();
    assertThat(patches)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.ifMatch()).isEqualTo(etag);
              // The project's basic roles and the creator stay in the list sent back.
              assertThat(p.body().path("access")).hasSize(5);
            });
  }

  @Test
  void listChangedBetweenReadAndPatch_isReadAgain_andTheChangeLands() {
    stub.fail(BigQueryAccessTest::isPatch, 1, 412, "conditionNotMet", "Precondition check failed.");
    AccessEntry group = AccessEntry.parse("group:analysts@acme.com", AccessEntry.Role.READER);

    warehouse.changeAccess("acme_local", List.of(group), List.of());

    assertThat(stub.requests().stream().filter(BigQueryAccessTest::isPatch)).hasSize(2);
    assertThat(warehouse.accessEntries("acme_local")).contains(group);
  }

  @Test
  void entriesOfOtherKinds_areNeverTouched_norReportedAsOurs() {
    List<AccessEntry> entries = warehouse.accessEntries("acme_local");

    // The stub's new dataset: three special groups (not ours to manage) and its creator.
    assertThat(entries)
        .containsExactly(
            new AccessEntry(
                AccessEntry.Kind.SERVICE_ACCOUNT,
                "worker@stub.iam.gserviceaccount.com",
                AccessEntry.Role.OWNER));
  }

  @Test
  void authorizedDataset_isAnAccessEntryOfTheDatasetTargetingItsViews() {
    stub.clearRequests();

    warehouse.changeAuthorizedDatasets("acme_local", List.of("acme_local_views"), List.of());

    List<BigQueryStub.Request> patches =
        stub.requests().stream().filter(BigQueryAccessTest::isPatch).toList();
    assertThat(patches).singleElement();
    com.fasterxml.jackson.databind.JsonNode sent = patches.get(0).body().path("access");
    assertThat(sent).hasSize(5);
    com.fasterxml.jackson.databind.JsonNode entry = sent.get(4).path("dataset");
    assertThat(entry.path("dataset").path("projectId").asText()).isEqualTo(PROJECT);
    assertThat(entry.path("dataset").path("datasetId").asText()).isEqualTo("acme_local_views");
    assertThat(entry.path("targetTypes").get(0).asText()).isEqualTo("VIEWS");
    assertThat(sent.get(4).has("role")).isFalse();
  }

  @Test
  void aListPastTwoThousandFiveHundredAuthorizedResources_isRefused_namingTheLimit() {
    List<String> many =
        java.util.stream.IntStream.rangeClosed(0, 2_500)
            .mapToObj(i -> "t_" + i + "_views")
            .toList();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> warehouse.changeAuthorizedDatasets("acme_local", many, List.of()))
        .isInstanceOf(dev.orgprovisioner.warehouse.WarehouseException.class)
        .hasMessageContaining("2501 authorized resources")
        .hasMessageContaining("2500")
        .satisfies(
            e ->
                assertThat(((dev.orgprovisioner.warehouse.WarehouseException) e).kind())
                    .isEqualTo(dev.orgprovisioner.warehouse.WarehouseException.Kind.PERMANENT));
    assertThat(stub.dataset(PROJECT, "acme_local").path("access")).hasSize(4);
  }
}
