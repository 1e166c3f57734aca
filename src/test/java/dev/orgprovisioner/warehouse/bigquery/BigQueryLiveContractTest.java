package dev.orgprovisioner.warehouse.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQuery.DatasetDeleteOption;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.DatasetId;
import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseContractTest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/** The warehouse contract against real BigQuery (opt-in: -Pbigquery-live, GOOGLE_CLOUD_PROJECT). */
@Tag("bigquery-live")
class BigQueryLiveContractTest extends WarehouseContractTest {

  /** The contract's datasets are created in EU, so the bulk reads must look there. */
  private static final String LOCATION = "EU";

  private static final String RUN =
      "orgprov_it_" + Long.toString(System.currentTimeMillis(), 36).toLowerCase(Locale.ROOT);
  private static final List<String> CREATED = new CopyOnWriteArrayList<>();
  private static String project;
  private static BigQueryWarehouse warehouse;

  @BeforeAll
  static void connect() {
    project = System.getenv("GOOGLE_CLOUD_PROJECT");
    if (Boolean.getBoolean("bigquery.live") && project != null && !project.isBlank()) {
      // Real BigQuery: paced like one worker instance.
      warehouse =
          BigQueryWarehouse.create(
              BigQuerySettings.of(project, LOCATION),
              dev.orgprovisioner.warehouse.BucketGate.local());
    } else {
      System.err.println(skipReason());
    }
  }

  /** Per test, so every contract test is reported as skipped with the reason. */
  @BeforeEach
  void requireLiveBigQuery() {
    Assumptions.assumeTrue(warehouse != null, BigQueryLiveContractTest::skipReason);
  }

  private static String skipReason() {
    if (!Boolean.getBoolean("bigquery.live")) {
      return "live BigQuery contract skipped: run with -Pbigquery-live, GOOGLE_CLOUD_PROJECT and"
          + " Application Default Credentials to enable it";
    }
    return "live BigQuery contract skipped: -Pbigquery-live is on but GOOGLE_CLOUD_PROJECT is not"
        + " set";
  }

  @AfterAll
  static void deleteThrowAwayDatasets() {
    if (warehouse == null) {
      return;
    }
    BigQuery admin = BigQueryOptions.newBuilder().setProjectId(project).build().getService();
    for (String dataset : CREATED) {
      admin.delete(DatasetId.of(project, dataset), DatasetDeleteOption.deleteContents());
    }
    warehouse.close();
  }

  @Override
  protected String uniqueDataset(String prefix) {
    String name = RUN + "_" + super.uniqueDataset(prefix);
    CREATED.add(name);
    return name;
  }

  /** INFORMATION_SCHEMA trails the REST API by seconds, rarely a few minutes. */
  @Override
  protected boolean authorizesDatasetsThatDoNotExist() {
    // Authorizing datasets that do not exist is not something to rely on live; the stub shows it.
    return false;
  }

  @Override
  protected Duration metadataLag() {
    return Duration.ofMinutes(5);
  }

  @Override
  protected Warehouse warehouse() {
    return warehouse;
  }

  @Override
  protected void replaceViewByHand(String dataset, String view, String sql) {
    byHand().replaceView(dataset, view, sql);
  }

  @Override
  protected void changeDatasetByHand(String dataset, DatasetSettings settings) {
    byHand().updateDataset(dataset, settings);
  }

  /** A real key the project's BigQuery service agent may use (BIGQUERY_LIVE_KMS_KEY), or none. */
  @Override
  protected String kmsKey() {
    return System.getenv("BIGQUERY_LIVE_KMS_KEY");
  }

  private static BigQueryByHand byHand() {
    return new BigQueryByHand(
        BigQueryOptions.newBuilder().setProjectId(project).build().getService());
  }
}
