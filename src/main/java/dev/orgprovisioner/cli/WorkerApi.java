package dev.orgprovisioner.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The running worker's admin API, for ops commands that ask the worker (its catalog, its warehouse)
 * rather than opening the warehouse themselves: base URL and admin key as options whose defaults
 * are environment variables.
 */
final class WorkerApi {

  @Option(
      names = "--api-url",
      defaultValue = "${env:OPS_API_URL:-http://localhost:8080}",
      description = "Base URL of the worker (env OPS_API_URL; default ${DEFAULT-VALUE}).")
  String apiUrl;

  @Option(
      names = "--admin-key",
      defaultValue = "${env:OPS_ADMIN_KEY:-}",
      description = "Admin API key sent as X-Admin-Key (env OPS_ADMIN_KEY).")
  String adminKey;

  /** GET of a path under the base URL. */
  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  /** POST without a body (the admin API's dry runs). */
  HttpResponse<String> post(String path) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** POST of a JSON body. */
  HttpResponse<String> post(String path, byte[] json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json)));
  }

  private URI uri(String path) {
    String base = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
    return URI.create(base + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    request.timeout(Duration.ofSeconds(120));
    if (adminKey != null && !adminKey.isBlank()) {
      request.header("X-Admin-Key", adminKey);
    }
    try {
      return HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .build()
          .send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the worker's API at " + apiUrl + " did not answer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking the worker's API", e);
    }
  }
}
