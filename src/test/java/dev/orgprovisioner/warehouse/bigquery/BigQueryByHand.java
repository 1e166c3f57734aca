package dev.orgprovisioner.warehouse.bigquery;

import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.DatasetInfo;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import com.google.cloud.bigquery.ViewDefinition;
import dev.orgprovisioner.catalog.DatasetSettings;

/** Changes made outside the provisioner, through a client of its own, as a person would. */
final class BigQueryByHand {

  private final BigQuery bigquery;

  BigQueryByHand(BigQuery bigquery) {
    this.bigquery = bigquery;
  }

  static BigQueryByHand against(BigQueryStub stub, String project) {
    return new BigQueryByHand(
        BigQueryOptions.newBuilder()
            .setProjectId(project)
            .setHost(stub.host())
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService());
  }

  /** A datasets.patch of the non-null options and the labels (merged) alone. */
  void updateDataset(String dataset, DatasetSettings s) {
    DatasetInfo.Builder b =
        BigQueryPlanSteps.withSettings(
            DatasetInfo.newBuilder(DatasetId.of(bigquery.getOptions().getProjectId(), dataset))
                .setLabels(s.labels()),
            s);
    bigquery.update(b.build());
  }

  /** A tables.patch of the view's query alone: its labels and description stay. */
  void replaceView(String dataset, String view, String sql) {
    bigquery.update(
        TableInfo.of(
            TableId.of(bigquery.getOptions().getProjectId(), dataset, view),
            ViewDefinition.newBuilder(sql).setUseLegacySql(false).build()));
  }
}
