package dev.orgprovisioner.warehouse.bigquery;

import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.bigquery.Bigquery;
import com.google.api.services.bigquery.model.UndeleteDatasetRequest;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.http.HttpTransportOptions;
import dev.orgprovisioner.warehouse.Identifiers;
import java.io.IOException;

/**
 * Deleting a dataset with its contents ({@code datasets.delete}) and bringing it back within its
 * time travel window ({@code datasets.undelete}, which the high-level client lacks: it goes through
 * the generated REST client on the same transport, host and credentials).
 */
final class BigQueryDeletions {

  private final BigQueryCalls calls;
  private final Bigquery rest;

  BigQueryDeletions(BigQueryCalls calls) {
    this.calls = calls;
    BigQueryOptions options = calls.client().getOptions();
    HttpTransportOptions transport = (HttpTransportOptions) options.getTransportOptions();
    this.rest =
        new Bigquery.Builder(
                transport.getHttpTransportFactory().create(),
                GsonFactory.getDefaultInstance(),
                transport.getHttpRequestInitializer(options))
            .setRootUrl(options.getResolvedApiaryHost("bigquery"))
            .setApplicationName(options.getApplicationName())
            .build();
  }

  void delete(String dataset) {
    DatasetId id = DatasetId.of(calls.project(), Identifiers.dataset(dataset));
    // false = it did not exist: deleting what is gone is done.
    BigQueryCalls.call(
        "delete dataset " + dataset,
        () -> calls.client().delete(id, BigQuery.DatasetDeleteOption.deleteContents()));
  }

  void undelete(String dataset) {
    String what = "undelete dataset " + dataset;
    BigQueryCalls.call(
        what,
        () -> {
          try {
            return rest.datasets()
                .undelete(
                    calls.project(),
                    Identifiers.dataset(dataset),
                    // No deletion time: the most recent deletion, the one offboarding made.
                    new UndeleteDatasetRequest())
                .execute();
          } catch (IOException e) {
            throw new BigQueryException(e);
          }
        });
  }
}
