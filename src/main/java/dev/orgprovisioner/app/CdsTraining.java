package dev.orgprovisioner.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
    for (String path : List.of("/q/health/ready", "/q/metrics", "/q/openapi")) {
      try {
        get(port, path);
      } catch (IOException e) {
        LOG.warnf("Training request %s failed: %s", path, e.getMessage());
      }
    }
    int linked = CdsLinking.linkLoadedClasses(Thread.currentThread().getContextClassLoader());
    LOG.infof("Class-data training: %d classes linked for the archive", linked);
    return 0;
  }

  /**
   * One HTTP/1.1 GET, read to the end. Not the JDK's HTTP client: it would load its own ~300
   * classes and ask the server to upgrade to HTTP/2 (~140 more of Netty's), all of them archived
   * and resident in every worker, which makes neither kind of request (docs/performance.md).
   */
  private static void get(int port, String path) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      socket.getInputStream().transferTo(OutputStream.nullOutputStream());
    }
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port for the training start", e);
    }
  }
}
