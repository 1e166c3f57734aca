package dev.orgprovisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The build runs the @QuarkusTest classes (tag "app") in a JVM of their own and every other class
 * in two shared JVMs (pom.xml): an untagged @QuarkusTest would start the application again there.
 */
class TestSuiteLayoutTest {

  @Test
  void everyQuarkusTestOfTheSuite_isTaggedApp_soTheApplicationStartsInOneJvm() throws Exception {
    List<Class<?>> quarkusTests =
        testClasses().stream().filter(c -> c.isAnnotationPresent(QuarkusTest.class)).toList();

    assertThat(quarkusTests).as("the suite has application tests").hasSizeGreaterThan(5);
    assertThat(quarkusTests)
        .filteredOn(c -> !hasTag(c, "bench"))
        .allSatisfy(c -> assertThat(hasTag(c, "app")).as(c.getName() + " tagged app").isTrue());
  }

  @Test
  void noOtherTestIsTaggedApp_soTheApplicationsJvmRunsOnlyApplicationTests() throws Exception {
    assertThat(testClasses())
        .filteredOn(c -> hasTag(c, "app"))
        .allSatisfy(c -> assertThat(c.isAnnotationPresent(QuarkusTest.class)).isTrue());
  }

  private static boolean hasTag(Class<?> type, String tag) {
    return Arrays.stream(type.getAnnotationsByType(Tag.class)).anyMatch(t -> t.value().equals(tag));
  }

  /** Every top-level class compiled from src/test/java. */
  private static List<Class<?>> testClasses() throws IOException, URISyntaxException {
    Path root =
        Path.of(
            TestSuiteLayoutTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .map(f -> root.relativize(f).toString())
          .filter(f -> f.endsWith(".class") && !f.contains("$"))
          .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
          .filter(name -> name.startsWith("dev.orgprovisioner."))
          .<Class<?>>map(TestSuiteLayoutTest::load)
          .toList();
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, TestSuiteLayoutTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
