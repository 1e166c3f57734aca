package dev.orgprovisioner.warehouse.bigquery;

import com.google.api.client.http.HttpExecuteInterceptor;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.cloud.ServiceOptions;
import com.google.cloud.http.HttpTransportOptions;
import dev.orgprovisioner.warehouse.Quota;
import dev.orgprovisioner.warehouse.QuotaGate;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * The client's HTTP transport with every request paced under BigQuery's "100 API requests per
 * second per user per method": each one, whichever client code sends it (reads, query jobs and
 * their polls, metadata updates, the generated REST client), first takes a place in its REST
 * method's window; the credentials' own interceptor still runs after.
 */
final class PacedTransportOptions extends HttpTransportOptions {

  private static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

  private final transient QuotaGate gate;

  PacedTransportOptions(HttpTransportOptions.Builder builder, QuotaGate gate) {
    super(builder);
    this.gate = gate;
  }

  @Override
  public HttpRequestInitializer getHttpRequestInitializer(ServiceOptions<?, ?> serviceOptions) {
    HttpRequestInitializer inner = super.getHttpRequestInitializer(serviceOptions);
    return request -> {
      inner.initialize(request);
      HttpExecuteInterceptor credentials = request.getInterceptor();
      request.setInterceptor(
          r -> {
            pace(r);
            if (credentials != null) {
              credentials.intercept(r);
            }
          });
    };
  }

  private void pace(HttpRequest request) throws IOException {
    Object override = request.getHeaders().get(METHOD_OVERRIDE);
    String method =
        override instanceof String s
            ? s
            : override instanceof Iterable<?> list && list.iterator().hasNext()
                ? String.valueOf(list.iterator().next())
                : request.getRequestMethod();
    try {
      gate.acquire(Quota.API_REQUESTS, RestMethods.of(method, request.getUrl().getRawPath()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException io = new InterruptedIOException("interrupted waiting for quota");
      io.initCause(e);
      throw io;
    }
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof PacedTransportOptions other && other.gate == gate && super.equals(obj);
  }

  @Override
  public int hashCode() {
    return super.hashCode() * 31 + System.identityHashCode(gate);
  }
}
