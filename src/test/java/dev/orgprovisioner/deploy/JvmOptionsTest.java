package dev.orgprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worker's JVM flags have one source, {@code src/main/jvm/jvm.options}: the image and run-local
 * start the worker with it and with a class-data archive written by the same flags.
 */
class JvmOptionsTest {

  private static final Path OPTIONS = Path.of("src", "main", "jvm", "jvm.options");

  @Test
  void optionsFile_holdsOnlyJvmFlagsAndComments() throws IOException {
    List<String> flags =
        Files.readAllLines(OPTIONS).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();

    assertThat(flags)
        .isNotEmpty()
        .allSatisfy(f -> assertThat(f).startsWith("-").doesNotContain(" "));
    assertThat(flags)
        .as("the image's entry point no longer sets JBoss LogManager itself")
        .contains("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
  }

  @Test
  void image_startsWithTheOptionsFileAndTheArchiveItsOwnJvmWrote() {
    Dockerfile docker = Dockerfile.load();
    List<String> entry = docker.entrypoint();
    String options = entry.get(1).substring(1);

    assertThat(entry.get(1)).startsWith("@");
    assertThat(docker.finalCopies())
        .anySatisfy(
            c -> {
              assertThat(c.source()).endsWith("/" + OPTIONS.toString().replace('\\', '/'));
              assertThat(c.destination()).isEqualTo(options);
            });
    String archive =
        entry.stream()
            .filter(a -> a.startsWith("-XX:SharedArchiveFile="))
            .findFirst()
            .orElseThrow()
            .substring("-XX:SharedArchiveFile=".length());
    assertThat(docker.finalStage())
        .as("the final stage's JVM writes the archive (a JDK stage's would not match the JRE)")
        .anySatisfy(
            i -> {
              assertThat(i.keyword()).isEqualTo("RUN");
              assertThat(i.arguments())
                  .contains("java @" + options)
                  .contains("-XX:ArchiveClassesAtExit=" + archive)
                  .contains("-jar " + docker.entrypointJar() + " cds-training");
            });
    assertThat(docker.lastIndex("RUN")).isLessThan(docker.lastIndex("ENTRYPOINT"));
  }

  @Test
  void runLocal_startsTheWorkerAndItsTrainingWithTheSameOptionsFile() throws IOException {
    String script = Files.readString(Path.of("run-local"));

    assertThat(script)
        .contains("java @" + OPTIONS + " -XX:ArchiveClassesAtExit=")
        .contains("cds-training")
        .contains("exec java @" + OPTIONS + " ")
        .doesNotContain("JAVA_TOOL_OPTIONS");
  }
}
