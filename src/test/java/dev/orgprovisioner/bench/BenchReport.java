package dev.orgprovisioner.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes one benchmark's section of {@code target/bench/}, and prints it. */
public final class BenchReport {

  private static final Path DIR = Path.of("target", "bench");

  private BenchReport() {}

  /** The machine, for every section: benchmarks on other machines are not comparable. */
  public static String machine() {
    return String.format(
        "%d cores, %d MiB max heap, %s %s, %s",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / (1024 * 1024),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        ManagementFactory.getOperatingSystemMXBean().getName());
  }

  /** Writes {@code target/bench/<name>.md} and prints it to standard output. */
  public static void write(String name, String title, String method, List<String> lines) {
    StringBuilder md = new StringBuilder();
    md.append("## ").append(title).append("\n\n");
    md.append("Method: ").append(method).append("\n\n");
    md.append("Machine: ").append(machine()).append("\n\n");
    lines.forEach(l -> md.append(l).append("\n"));
    System.out.println(md);
    try {
      Files.createDirectories(DIR);
      Files.writeString(DIR.resolve(name + ".md"), md.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
