package dev.orgprovisioner.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * {@code org-provisioner-runner.jar cds-training}: starts the whole worker once, asks its own
 * endpoints once, links what it loaded and exits, so that {@code java
 * -XX:ArchiveClassesAtExit=app-cds.jsa} archives every class a real start loads. Needs no emulator,
 * credential or network: the ledger and Pub/Sub point at a loopback port nothing listens on (their
 * clients connect lazily; the subscribers retry), the warehouse is an in-memory DuckDB.
 */
public final class CdsTraining implements QuarkusApplication {

  /** The first argument that selects this mode. */
  public static final String ARG = "cds-training";

  private static final Logger LOG = Logger.getLogger(CdsTraining.class);

  // Readiness answers within the ledger's call timeout even with nothing listening; this only
  // keeps an image build from hanging on a request that never answers.
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** Starts the worker with endpoints that refuse connections; returns once it stopped again. */
  public static void run() {
    String refused = InetAddress.getLoopbackAddress().getHostAddress() + ":" + closedPort();
    // Quarkus's generated archive only covers its static init (Quarkus 3.33 stops before the
    // runtime init when quarkus.appcds.generate is set): docs/performance.md measures both.
    System.setProperty("warehouse.kind", "duckdb");
    System.setProperty("warehouse.duckdb.path", ":memory:");
    System.setProperty("ledger.emulator-host", refused);
    System.setProperty("messaging.emulator-host", refused);
    System.setProperty("messaging.create-topology", "false");
    System.setProperty("provisioner.bootstrap-on-start", "false");
    System.setProperty("provisioner.demo", "false");
    System.setProperty("quarkus.http.host", "127.0.0.1");
    System.setProperty("quarkus.http.port", "0");
    Quarkus.run(CdsTraining.class);
  }

  /**
   * Called once the worker has started: asks its own HTTP endpoints once (the request path's
   * classes), links every loaded class ({@link CdsLinking}) and returns, which stops it.
   */
  @Override
  public int run(String... args) {
    int port = ConfigProvider.getConfig().getValue("quarkus.http.port", Integer.class);
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("/q/health/ready", "/q/metrics", "/q/openapi")) {
      try {
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(REQUEST_TIMEOUT)
                .build(),
            HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        LOG.warnf("Training request %s failed: %s", path, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
    }
    int linked = CdsLinking.linkLoadedClasses(Thread.currentThread().getContextClassLoader());
    LOG.infof("Class-data training: %d classes linked for the archive", linked);
    return 0;
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port for the training start", e);
    }
  }
}
