package dev.orgprovisioner.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * {@code quarkus-run.jar cds-training}: starts the whole worker once and exits as soon as it has
 * started, so that {@code java -XX:ArchiveClassesAtExit=app-cds.jsa} archives every class a real
 * start loads. Needs no emulator, credential or network: the ledger and Pub/Sub point at a loopback
 * port nothing listens on (their clients connect lazily; the subscribers retry), the warehouse is
 * an in-memory DuckDB.
 */
public final class CdsTraining implements QuarkusApplication {

  /** The first argument that selects this mode. */
  public static final String ARG = "cds-training";

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

  /** Called once the worker has started: returning stops it. */
  @Override
  public int run(String... args) {
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
