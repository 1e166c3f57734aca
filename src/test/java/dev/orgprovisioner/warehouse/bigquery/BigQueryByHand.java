package dev.orgprovisioner.warehouse.bigquery;

import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import com.google.cloud.bigquery.ViewDefinition;

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

  /** A tables.patch of the view's query alone: its labels and description stay. */
  void replaceView(String dataset, String view, String sql) {
    bigquery.update(
        TableInfo.of(
            TableId.of(bigquery.getOptions().getProjectId(), dataset, view),
            ViewDefinition.newBuilder(sql).setUseLegacySql(false).build()));
  }
}
