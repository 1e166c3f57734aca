package dev.orgprovisioner.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Starts Google's local Pub/Sub and Firestore emulators and stops them all when the JVM exits. */
public final class Emulators {

  /** The emulators listen on loopback only. */
  public static final String HOST = "127.0.0.1";

  /** Overrides the log directory (default {@code target/emulators}). */
  public static final String LOG_DIR_PROPERTY = "emulators.log.dir";

  /**
   * Extra JVM options for both emulators, separated by spaces (default none). The test build sets
   * C1-only, serial-GC flags: the emulators live a few minutes and JIT compilation was most of
   * their CPU.
   */
  public static final String JAVA_OPTIONS_PROPERTY = "emulators.java-options";

  static final String PUBSUB_COMPONENT = "platform/pubsub-emulator";
  static final String FIRESTORE_COMPONENT = "platform/cloud-firestore-emulator";

  // Ready in 1-2 s (Pub/Sub) and 1.5-4 s (Firestore) here; the margin is for loaded CI hosts.
  private static final Duration PUBSUB_STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration FIRESTORE_STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final String PUBSUB_HEAP = "-Xmx256m";
  // The Firestore script sets no -Xmx; its JVM would otherwise size the heap from the host's RAM.
  private static final String FIRESTORE_HEAP = "-Xmx512m";
  private static final int FREE_PORT_ATTEMPTS = 3;
  private static final Pattern PUBSUB_JAR_VERSION =
      Pattern.compile("cloud-pubsub-emulator-(\\d+(?:\\.\\d+)*).*\\.jar");

  private static final Set<EmulatorProcess> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Emulators::stopAll, "emulators-shutdown"));
  }

  private Emulators() {}

  /** The emulator's main class (from its jar's manifest). */
  private static final String PUBSUB_MAIN = "com.google.cloud.pubsub.testing.v1.Main";

  /** Where the build copies grpc-api 1.68.1 (pom.xml, maven-dependency-plugin). */
  public static final String GRPC_API_PROPERTY = "pubsub.emulator.grpc-api-jar";

  /**
   * grpc-api 1.68.1, put before the emulator's own jar when available: the emulator bundles
   * grpc-core 1.68.1 with an older grpc-api and crashes when a client cancels a stream, after which
   * it keeps sending that subscription's messages to the dead stream for 25–45 s.
   */
  static Optional<Path> grpcApiPatch() {
    String configured = System.getProperty(GRPC_API_PROPERTY);
    Path candidate =
        configured != null
            ? Path.of(configured)
            : Path.of("target", "emulator-lib", "grpc-api-1.68.1.jar");
    return Files.isRegularFile(candidate)
        ? Optional.of(candidate.toAbsolutePath())
        : Optional.empty();
  }

  /** Starts the Pub/Sub emulator on a free loopback port. */
  public static EmulatorProcess startPubSub() {
    return onFreePort(Emulators::startPubSub);
  }

  /** Starts the Pub/Sub emulator on {@code port}, e.g. again where a stopped one listened. */
  public static EmulatorProcess startPubSub(int port) {
    Path jar = pubSubJar(GcloudSdk.rootContaining(PUBSUB_COMPONENT));
    Optional<Path> grpcApi = grpcApiPatch();
    List<String> command = new ArrayList<>(List.of(javaExecutable(), PUBSUB_HEAP));
    command.addAll(javaOptions());
    command.addAll(
        grpcApi.isPresent()
            ? List.of(
                "-cp",
                grpcApi.get() + java.io.File.pathSeparator + jar,
                PUBSUB_MAIN,
                "--host=" + HOST,
                "--port=" + port)
            : List.of("-jar", jar.toString(), "--host=" + HOST, "--port=" + port));
    String readyLine = "Server started, listening on " + port;
    return EmulatorProcess.start(
        new EmulatorProcess.Launch(
            "pubsub",
            port,
            command,
            Map.of(),
            line -> line.contains(readyLine),
            PUBSUB_STARTUP_TIMEOUT),
        Emulators::startPubSub);
  }

  /** Starts the Firestore emulator (native mode, in memory) on a free loopback port. */
  public static EmulatorProcess startFirestore() {
    return onFreePort(Emulators::startFirestore);
  }

  /** Starts the Firestore emulator on {@code port}, e.g. again where a stopped one listened. */
  public static EmulatorProcess startFirestore(int port) {
    Path script =
        GcloudSdk.rootContaining(FIRESTORE_COMPONENT)
            .resolve(FIRESTORE_COMPONENT)
            .resolve("cloud_firestore_emulator");
    if (!Files.isExecutable(script)) {
      throw new EmulatorException(
          script + " is missing or not executable. " + GcloudSdk.INSTALL_HINT);
    }
    List<String> command = List.of(script.toString(), "start", "--host=" + HOST, "--port=" + port);
    String toolOptions =
        String.join(
                " ",
                Objects.requireNonNullElse(System.getenv("JAVA_TOOL_OPTIONS"), ""),
                String.join(" ", javaOptions()))
            .trim();
    Map<String, String> environment =
        Map.of(
            // The script runs ${JAVA:=java}: use this JVM's java rather than whatever is on PATH.
            "JAVA",
            javaExecutable(),
            "JAVA_TOOL_OPTIONS",
            toolOptions.isEmpty() ? FIRESTORE_HEAP : toolOptions + " " + FIRESTORE_HEAP);
    return EmulatorProcess.start(
        new EmulatorProcess.Launch(
            "firestore",
            port,
            command,
            environment,
            line -> line.contains("Dev App Server is now running"),
            FIRESTORE_STARTUP_TIMEOUT),
        Emulators::startFirestore);
  }

  /** Stops every emulator this JVM started and has not stopped yet. */
  public static void stopAll() {
    for (EmulatorProcess emulator : List.copyOf(RUNNING)) {
      try {
        emulator.stop();
      } catch (RuntimeException e) {
        // Keep going: one stubborn process must not leave the others running.
        System.err.println("Could not stop " + emulator + ": " + e);
      }
    }
  }

  static void register(EmulatorProcess emulator) {
    RUNNING.add(emulator);
  }

  static void unregister(EmulatorProcess emulator) {
    RUNNING.remove(emulator);
  }

  static Path logDirectory() {
    return Path.of(System.getProperty(LOG_DIR_PROPERTY, "target/emulators")).toAbsolutePath();
  }

  /** A loopback port that was free a moment ago. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free loopback port", e);
    }
  }

  private static EmulatorProcess onFreePort(IntFunction<EmulatorProcess> start) {
    for (int attempt = 1; ; attempt++) {
      try {
        return start.apply(freePort());
      } catch (EmulatorException e) {
        // Another process may grab the port between freePort() and the emulator binding it.
        if (!e.portInUse() || attempt == FREE_PORT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  static Path pubSubJar(Path sdkRoot) {
    Path lib = sdkRoot.resolve(PUBSUB_COMPONENT).resolve("lib");
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> found =
        Files.newDirectoryStream(lib, "cloud-pubsub-emulator-*.jar")) {
      found.forEach(jars::add);
    } catch (IOException e) {
      throw new EmulatorException("Cannot list " + lib + ". " + GcloudSdk.INSTALL_HINT, e);
    }
    // Normally exactly one; after a partial upgrade, prefer the newest version.
    return jars.stream()
        .max(Comparator.comparing(Emulators::jarVersion, Emulators::compareVersions))
        .orElseThrow(
            () ->
                new EmulatorException(
                    "No cloud-pubsub-emulator-*.jar in " + lib + ". " + GcloudSdk.INSTALL_HINT));
  }

  private static int[] jarVersion(Path jar) {
    Matcher m = PUBSUB_JAR_VERSION.matcher(jar.getFileName().toString());
    if (!m.matches()) {
      return new int[0];
    }
    String[] parts = m.group(1).split("\\.");
    int[] version = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      version[i] = Integer.parseInt(parts[i]);
    }
    return version;
  }

  private static int compareVersions(int[] a, int[] b) {
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      int diff = Integer.compare(i < a.length ? a[i] : 0, i < b.length ? b[i] : 0);
      if (diff != 0) {
        return diff;
      }
    }
    return 0;
  }

  static List<String> javaOptions() {
    String options = System.getProperty(JAVA_OPTIONS_PROPERTY, "").trim();
    return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
