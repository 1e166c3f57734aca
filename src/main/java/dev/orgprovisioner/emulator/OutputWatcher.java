package dev.orgprovisioner.emulator;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** Copies an emulator's output to its log file, keeps the last lines and spots the ready line. */
final class OutputWatcher {

  private static final int TAIL_LINES = 40;
  // The JDK's BindException text: the Pub/Sub emulator prints it, then hangs instead of exiting.
  private static final String PORT_IN_USE = "Address already in use";

  private final Path logFile;
  private final Predicate<String> isReadyLine;
  private final Deque<String> tail = new ArrayDeque<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();

  OutputWatcher(Path logFile, Predicate<String> isReadyLine) {
    this.logFile = logFile;
    this.isReadyLine = isReadyLine;
  }

  /**
   * Completes when the ready line appears; fails with a {@link BindException} if the port is taken,
   * or with an {@link IllegalStateException} if the output ends first.
   */
  CompletableFuture<Void> ready() {
    return ready;
  }

  void note(String line) {
    try (BufferedWriter log = openLog()) {
      log.write(line);
      log.newLine();
    } catch (IOException e) {
      remember("(could not write " + logFile + ": " + e.getMessage() + ")");
    }
  }

  /** Reads {@code output} to its end on a daemon thread; the emulator keeps writing after ready. */
  void watch(InputStream output, String threadName) {
    Thread reader = new Thread(() -> pump(output), threadName);
    reader.setDaemon(true);
    reader.start();
  }

  List<String> tail() {
    synchronized (tail) {
      return new ArrayList<>(tail);
    }
  }

  private void pump(InputStream output) {
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
        BufferedWriter log = openLog()) {
      String line;
      while ((line = in.readLine()) != null) {
        log.write(line);
        log.newLine();
        // Flushed per line so the log is readable while a test is still running or hung.
        log.flush();
        remember(line);
        if (!ready.isDone() && isReadyLine.test(line)) {
          ready.complete(null);
        } else if (!ready.isDone() && line.contains(PORT_IN_USE)) {
          ready.completeExceptionally(new BindException(line.strip()));
        }
      }
      ready.completeExceptionally(new IllegalStateException("output ended before the ready line"));
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
  }

  private void remember(String line) {
    synchronized (tail) {
      if (tail.size() == TAIL_LINES) {
        tail.removeFirst();
      }
      tail.addLast(line);
    }
  }

  private BufferedWriter openLog() throws IOException {
    return Files.newBufferedWriter(
        logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
