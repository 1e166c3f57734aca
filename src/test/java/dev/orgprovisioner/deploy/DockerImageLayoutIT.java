package dev.orgprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * After {@code package}: the Dockerfile's COPY instructions and entry point, applied to the
 * artifact this build really produced, give a runnable layout (the jar, its manifest's class path,
 * DuckDB's native library beside DuckDB's jar).
 */
class DockerImageLayoutIT {

  private final Dockerfile docker = Dockerfile.load();

  @Test
  void entrypointJar_isTheBuiltRunnerAndItsClassPathIsCopiedBesideIt() throws IOException {
    String jar = docker.entrypointJar();
    String imageDir = jar.substring(0, jar.lastIndexOf('/') + 1);
    Path built =
        Path.of(
            docker
                .projectPathOf(jar)
                .orElseThrow(() -> new AssertionError("no COPY puts anything at " + jar)));

    assertThat(built).as("the jar the image runs, as built").isRegularFile();
    try (JarFile runner = new JarFile(built.toFile())) {
      Manifest manifest = runner.getManifest();
      assertThat(manifest.getMainAttributes().getValue("Main-Class")).isNotBlank();
      String classPath = manifest.getMainAttributes().getValue("Class-Path");
      assertThat(classPath).isNotBlank();
      for (String entry : classPath.strip().split("\\s+")) {
        String inImage = imageDir + entry;
        assertThat(docker.projectPathOf(inImage).map(Path::of))
            .as("%s (Class-Path of %s) is in the image", inImage, jar)
            .hasValueSatisfying(p -> assertThat(p).isRegularFile());
      }
    }
  }

  @Test
  void duckDbsLinuxLibrary_isBesideDuckDbsJarInTheImage_andNotInsideIt() throws IOException {
    String jar = docker.entrypointJar();
    String imageDir = jar.substring(0, jar.lastIndexOf('/') + 1);
    String duckDbJar;
    try (JarFile runner = new JarFile(docker.projectPathOf(jar).orElseThrow())) {
      duckDbJar =
          Stream.of(
                  runner
                      .getManifest()
                      .getMainAttributes()
                      .getValue("Class-Path")
                      .strip()
                      .split("\\s+"))
              .filter(entry -> entry.contains("duckdb_jdbc"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("DuckDB's jar is not on the class path"));
    }
    // The driver loads the library from its jar's own directory only when the jar lacks it;
    // otherwise it inflates 60 MB into /tmp at every start (docs/performance.md).
    String library = "libduckdb_java.so_linux_amd64";
    String besideJar = imageDir + duckDbJar.substring(0, duckDbJar.lastIndexOf('/') + 1) + library;
    assertThat(docker.projectPathOf(besideJar).map(Path::of))
        .as("%s in the image", besideJar)
        .hasValueSatisfying(p -> assertThat(p).isRegularFile());
    try (JarFile duckDb = new JarFile(docker.projectPathOf(imageDir + duckDbJar).orElseThrow())) {
      assertThat(duckDb.getEntry(library)).as("%s inside %s", library, duckDbJar).isNull();
    }
  }

  @Test
  void everyPartOfTheBuiltApplication_isCopiedIntoTheImage() throws IOException {
    Path app = Path.of(DeploymentFilesTest.QuarkusLayout.DIR);
    String jar = docker.entrypointJar();
    String imageDir = jar.substring(0, jar.lastIndexOf('/') + 1);

    List<Path> parts;
    try (Stream<Path> list = Files.list(app)) {
      // The dependency list is a build report, not needed at run time.
      parts = list.filter(p -> !p.getFileName().toString().endsWith(".txt")).toList();
    }
    assertThat(parts).isNotEmpty();
    for (Path part : parts) {
      String name = part.getFileName() + (Files.isDirectory(part) ? "/" : "");
      assertThat(docker.projectPathOf(imageDir + name))
          .as("%s of the build is copied to %s%s", part, imageDir, name)
          .contains(DeploymentFilesTest.QuarkusLayout.DIR + "/" + name);
    }
  }
}
