package dev.orgprovisioner.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/** A running local emulator: where it listens, its log, and how to stop or restart it. */
public final class EmulatorProcess implements AutoCloseable {

  private static final Duration GRACEFUL_STOP = Duration.ofSeconds(10);
  private static final Duration FORCED_STOP = Duration.ofSeconds(5);

  private final String name;
  private final int port;
  private final Process process;
  private final Path logFile;
  private final OutputWatcher output;
  private final IntFunction<EmulatorProcess> restarter;
  private volatile Duration startupTime;
  private boolean stopped;

  private EmulatorProcess(
      String name,
      int port,
      Process process,
      Path logFile,
      OutputWatcher output,
      IntFunction<EmulatorProcess> restarter) {
    this.name = name;
    this.port = port;
    this.process = process;
    this.logFile = logFile;
    this.output = output;
    this.restarter = restarter;
  }

  /** What to run and how to tell that it is ready. */
  record Launch(
      String name,
      int port,
      List<String> command,
      Map<String, String> environment,
      Predicate<String> isReadyLine,
      Duration startupTimeout) {}

  /** Starts {@code launch} and blocks until it prints its ready line, or fails and cleans up. */
  static EmulatorProcess start(Launch launch, IntFunction<EmulatorProcess> restarter) {
    Path logDir = Emulators.logDirectory();
    Path logFile = logDir.resolve(launch.name() + "-" + launch.port() + ".log");
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + logDir, e);
    }
    OutputWatcher output = new OutputWatcher(logFile, launch.isReadyLine());
    output.note("=== " + Instant.now() + " starting: " + String.join(" ", launch.command()));

    ProcessBuilder builder =
        new ProcessBuilder(launch.command()).redirectErrorStream(true).directory(logDir.toFile());
    builder.environment().putAll(launch.environment());
    long startedAt = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new EmulatorException(
          "Cannot start the " + launch.name() + " emulator: " + String.join(" ", launch.command()),
          e);
    }
    EmulatorProcess emulator =
        new EmulatorProcess(launch.name(), launch.port(), process, logFile, output, restarter);
    // Registered before waiting, so that Ctrl-C during start-up does not leave it behind.
    Emulators.register(emulator);
    output.watch(process.getInputStream(), "emulator-" + launch.name() + "-" + launch.port());

    try {
      output.ready().get(launch.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      emulator.stop();
      throw emulator.failure(
          "did not print its ready line within " + launch.startupTimeout().toSeconds() + " s",
          false,
          null);
    } catch (ExecutionException e) {
      emulator.stop();
      if (e.getCause() instanceof BindException) {
        throw emulator.failure("could not listen: its port is in use", true, e.getCause());
      }
      throw emulator.failure(
          "exited before it was ready (exit code " + process.exitValue() + ")",
          false,
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      emulator.stop();
      throw emulator.failure("start-up was interrupted", false, e);
    }
    emulator.startupTime = Duration.ofNanos(System.nanoTime() - startedAt);
    output.note("=== ready after " + emulator.startupTime.toMillis() + " ms");
    return emulator;
  }

  public String name() {
    return name;
  }

  public String host() {
    return Emulators.HOST;
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT}, the form emulator-host settings and gRPC targets expect. */
  public String hostPort() {
    return host() + ":" + port;
  }

  public Path logFile() {
    return logFile;
  }

  /** From process start to the ready line. */
  public Duration startupTime() {
    return startupTime;
  }

  /** The launched process; for Firestore a script whose Java child is a descendant. */
  public ProcessHandle processHandle() {
    return process.toHandle();
  }

  public boolean isAlive() {
    return process.isAlive() || process.descendants().anyMatch(ProcessHandle::isAlive);
  }

  /**
   * Stops this emulator and starts a fresh one (empty state) on the same port. This instance is
   * stopped; use the returned one.
   */
  public EmulatorProcess restart() {
    stop();
    return restarter.apply(port);
  }

  /**
   * Stops the process and all its descendants and waits until they have exited. Does nothing if
   * already stopped.
   */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    long stoppingAt = System.nanoTime();
    try {
      List<ProcessHandle> descendants = process.descendants().toList();
      // Children first: the Firestore script would otherwise die alone and orphan its Java child.
      descendants.forEach(ProcessHandle::destroy);
      List<ProcessHandle> survivors =
          new ArrayList<>(descendants.stream().filter(h -> !awaitExit(h)).toList());
      process.destroy();
      if (!awaitExit(process.toHandle())) {
        survivors.add(process.toHandle());
      }
      String outcome =
          survivors.isEmpty()
              ? "stopped"
              : "could not stop pids " + survivors.stream().map(ProcessHandle::pid).toList();
      output.note(
          "=== "
              + Instant.now()
              + " "
              + outcome
              + " after "
              + Duration.ofNanos(System.nanoTime() - stoppingAt).toMillis()
              + " ms");
      if (!survivors.isEmpty()) {
        throw new EmulatorException(this + ": " + outcome + ", even with SIGKILL");
      }
    } finally {
      Emulators.unregister(this);
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return name + " emulator at " + hostPort() + " (pid " + process.pid() + ")";
  }

  /** Waits for a graceful exit, then kills; false if the process outlived both. */
  private static boolean awaitExit(ProcessHandle handle) {
    if (waitFor(handle, GRACEFUL_STOP)) {
      return true;
    }
    handle.destroyForcibly();
    return waitFor(handle, FORCED_STOP);
  }

  private static boolean waitFor(ProcessHandle handle, Duration timeout) {
    try {
      handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !handle.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !handle.isAlive();
    }
  }

  private EmulatorException failure(String what, boolean portInUse, Throwable cause) {
    return new EmulatorException(
        "The "
            + name
            + " emulator on port "
            + port
            + " "
            + what
            + ". Log: "
            + logFile
            + "\nLast output:\n  "
            + String.join("\n  ", output.tail()),
        portInUse,
        cause);
  }
}
