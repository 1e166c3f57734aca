package dev.orgprovisioner.warehouse.bigquery;

import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.bigquery.Bigquery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.http.HttpTransportOptions;

/**
 * The generated REST client, for the calls the high-level client lacks (datasets.undelete, a
 * conditional datasets.patch): same transport, host, timeouts and credentials as the client's.
 */
final class GeneratedRestClient {

  private GeneratedRestClient() {}

  static Bigquery of(BigQueryOptions options) {
    HttpTransportOptions transport = (HttpTransportOptions) options.getTransportOptions();
    return new Bigquery.Builder(
            transport.getHttpTransportFactory().create(),
            GsonFactory.getDefaultInstance(),
            transport.getHttpRequestInitializer(options))
        .setRootUrl(options.getResolvedApiaryHost("bigquery"))
        .setApplicationName(options.getApplicationName())
        .build();
  }
}
