package dev.orgprovisioner.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged worker ({@code target/worker/org-provisioner-runner.jar}) as its own process,
 * started the way the image and {@code run-local} start it: {@code java @src/main/jvm/jvm.options
 * -XX:SharedArchiveFile=target/app-cds.jsa -jar org-provisioner-runner.jar}, or with JVM defaults.
 */
final class WorkerProcess implements AutoCloseable {

  static final Path JAR = Path.of("target", "worker", "org-provisioner-runner.jar");
  static final Path OPTIONS = Path.of("src", "main", "jvm", "jvm.options");
  static final Path ARCHIVE = Path.of("target", "app-cds.jsa");
  private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

  /** The JVM flags: the shipped ones (options file, class-data archive) or none, plus extras. */
  record Flags(boolean shipped, List<String> extra) {

    List<String> jvmArgs() {
      List<String> args = new ArrayList<>();
      if (shipped) {
        args.add("@" + OPTIONS.toAbsolutePath());
        if (Files.isRegularFile(ARCHIVE)) {
          args.add("-XX:SharedArchiveFile=" + ARCHIVE.toAbsolutePath());
        }
      }
      args.addAll(extra);
      return args;
    }

    String describe() {
      String base =
          shipped
              ? "`@src/main/jvm/jvm.options` + `-XX:SharedArchiveFile=target/app-cds.jsa`"
              : "JVM defaults";
      return extra.isEmpty() ? base : base + " + `" + String.join(" ", extra) + "`";
    }
  }

  private final Process process;
  private final Path log;
  private final long startedAt;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private WorkerProcess(Process process, Path log, long startedAt) {
    this.process = process;
    this.log = log;
    this.startedAt = startedAt;
  }

  /**
   * Writes the class-data archive as {@code run-local} and the image do: one start of the worker
   * without emulators ({@code cds-training}), archived at exit. Returns how long it took.
   */
  static Duration trainArchive(Path log) {
    try {
      Files.deleteIfExists(ARCHIVE);
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(
                  java(),
                  "@" + OPTIONS.toAbsolutePath(),
                  "-XX:ArchiveClassesAtExit=" + ARCHIVE.toAbsolutePath(),
                  "-jar",
                  JAR.toAbsolutePath().toString(),
                  "cds-training")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean exited = p.waitFor(5, TimeUnit.MINUTES);
      assertThat(exited && p.exitValue() == 0)
          .as("the training start exits 0 (log: %s)", log)
          .isTrue();
      assertThat(ARCHIVE).as("the class-data archive (log: %s)", log).isRegularFile();
      return Duration.ofNanos(System.nanoTime() - t0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static WorkerProcess start(Flags flags, Map<String, String> env, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(flags.jvmArgs());
    command.add("-jar");
    command.add(JAR.toAbsolutePath().toString());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    long t0 = System.nanoTime();
    return new WorkerProcess(builder.start(), log, t0);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  long pid() {
    return process.pid();
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Nanoseconds since the process was started. */
  long elapsedNanos() {
    return System.nanoTime() - startedAt;
  }

  Path log() {
    return log;
  }

  /** Whether {@code /q/health/ready} answers 200 with UP now. */
  boolean ready(int port) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("\"UP\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Quarkus' own "started in" figure from the log, in seconds, or null. */
  Double quarkusStartedSeconds() throws IOException {
    Matcher m = STARTED.matcher(Files.readString(log));
    return m.find() ? Double.valueOf(m.group(1)) : null;
  }

  /** Sends SIGTERM and waits; returns how long the worker took to stop. */
  Duration stop() throws InterruptedException {
    long t0 = System.nanoTime();
    process.destroy();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("worker stops on SIGTERM").isTrue();
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
