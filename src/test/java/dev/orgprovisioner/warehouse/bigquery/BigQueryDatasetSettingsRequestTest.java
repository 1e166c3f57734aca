package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.plan.PlanStep.CreateDataset;
import dev.orgprovisioner.plan.PlanStep.UpdateDataset;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.bigquery.BigQueryStub.Request;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dataset settings in the REST requests the adapter sends, and how the snapshot reads them. */
class BigQueryDatasetSettingsRequestTest {

  private static final String PROJECT = "test-project";
  private static final String API = "/bigquery/v2/projects/" + PROJECT;
  private static final String KEY = "projects/p/locations/eu/keyRings/r/cryptoKeys/k";
  private static final DatasetSettings SETTINGS =
      new DatasetSettings(
          Duration.ofDays(30), Duration.ofDays(60), Duration.ofHours(72), KEY, Map.of());
  private static final Map<String, String> LABELS =
      Map.of("managed-by", "org-provisioner", "cost-center", "cc_1");

  private final ObjectMapper json = new ObjectMapper();
  private BigQueryStub stub;
  private BigQueryWarehouse warehouse;

  @BeforeEach
  void start() {
    stub = BigQueryStub.start();
    warehouse =
        BigQueryWarehouse.create(
            new BigQuerySettings(PROJECT, "EU", Optional.of(stub.host()), 100L * 1024 * 1024, 4));
  }

  @AfterEach
  void stop() {
    warehouse.close();
    stub.close();
  }

  private List<Request> writes() {
    return stub.requests().stream().filter(r -> !r.method().equals("GET")).toList();
  }

  @Test
  void datasetsInsert_carriesEverySetting() throws Exception {
    warehouse.apply(new CreateDataset("org_acme", "EU", "d", LABELS, SETTINGS));

    assertThat(writes()).singleElement().satisfies(r -> assertThat(r.method()).isEqualTo("POST"));
    JsonNode body = writes().get(0).body();
    assertThat(body.path("defaultTableExpirationMs").asText()).isEqualTo("2592000000");
    assertThat(body.path("defaultPartitionExpirationMs").asText()).isEqualTo("5184000000");
    assertThat(body.path("maxTimeTravelHours").asText()).isEqualTo("72");
    assertThat(body.path("defaultEncryptionConfiguration"))
        .isEqualTo(json.readTree("{\"kmsKeyName\": \"" + KEY + "\"}"));
    assertThat(body.path("labels")).isEqualTo(json.valueToTree(LABELS));
  }

  @Test
  void datasetsPatch_carriesTheManagedSettings_andLeavesUnmanagedOnesOut() {
    warehouse.apply(new CreateDataset("org_acme", "EU", "d", LABELS));
    stub.clearRequests();

    warehouse.apply(
        new UpdateDataset(
            "org_acme",
            "d",
            LABELS,
            new DatasetSettings(null, null, Duration.ofHours(96), KEY, Map.of())));

    assertThat(writes())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.method()).isEqualTo("PATCH");
              assertThat(r.path()).isEqualTo(API + "/datasets/org_acme");
              assertThat(r.body().path("maxTimeTravelHours").asText()).isEqualTo("96");
              assertThat(
                      r.body().path("defaultEncryptionConfiguration").path("kmsKeyName").asText())
                  .isEqualTo(KEY);
              assertThat(r.body().has("defaultTableExpirationMs")).isFalse();
              assertThat(r.body().has("defaultPartitionExpirationMs")).isFalse();
            });
    assertThat(stub.dataset(PROJECT, "org_acme").path("maxTimeTravelHours").asText())
        .isEqualTo("96");
  }

  @Test
  void bulkRead_readsTheSettingsFromSchemataOptions_andTheFreshReadFromTheDataset() {
    warehouse.apply(new CreateDataset("org_acme", "EU", "d", LABELS, SETTINGS));
    assertThat(warehouse.freshSnapshot("org_acme").orElseThrow().settings()).isEqualTo(SETTINGS);
    stub.clearRequests();

    var observed = warehouse.bulkSnapshot(List.of("org_acme")).get("org_acme");

    assertThat(observed.settings()).isEqualTo(SETTINGS);
    assertThat(observed.labels()).containsEntry("cost-center", "cc_1");
    assertThat(stub.requests().stream().filter(BigQueryStub.Request::isQuery))
        .filteredOn(r -> r.sql().contains("SCHEMATA_OPTIONS"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.sql())
                    .contains(
                        "'default_table_expiration_days'",
                        "'default_partition_expiration_days'",
                        "'max_time_travel_hours'",
                        "'default_kms_key_name'"));
  }

  @Test
  void aTimeTravelWindowBigQueryRefuses_failsPermanently() {
    DatasetSettings bad = new DatasetSettings(null, null, Duration.ofHours(36), null, Map.of());

    assertThatThrownBy(() -> warehouse.apply(new CreateDataset("org_x", "EU", "d", LABELS, bad)))
        .isInstanceOfSatisfying(
            WarehouseException.class, e -> assertThat(e.isTransient()).isFalse())
        .hasMessageContaining("time travel");
  }
}
