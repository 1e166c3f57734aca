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
 * The build runs the @QuarkusTest classes through {@link ApplicationTests}, which picks them by the
 * name {@code *AppTest}, and keeps that name out of Surefire's own scan (pom.xml): a differently
 * named @QuarkusTest would start the application once more, an {@code *AppTest} that is not one
 * would be run by the suite only.
 */
class TestSuiteLayoutTest {

  @Test
  void everyQuarkusTestOfTheSuite_isNamedAppTestAndTaggedApp_soItRunsInTheApplicationsSuite()
      throws Exception {
    List<Class<?>> quarkusTests =
        testClasses().stream().filter(c -> c.isAnnotationPresent(QuarkusTest.class)).toList();

    assertThat(quarkusTests).as("the suite has application tests").hasSizeGreaterThan(5);
    assertThat(quarkusTests)
        .filteredOn(c -> !hasTag(c, "bench"))
        .allSatisfy(
            c -> {
              assertThat(c.getSimpleName()).as(c.getName()).endsWith("AppTest");
              assertThat(hasTag(c, "app")).as(c.getName() + " tagged app").isTrue();
            });
  }

  @Test
  void everyClassNamedAppTestOrTaggedApp_isAQuarkusTest() throws Exception {
    assertThat(testClasses())
        .filteredOn(c -> hasTag(c, "app") || c.getSimpleName().endsWith("AppTest"))
        .isNotEmpty()
        .allSatisfy(
            c -> assertThat(c.isAnnotationPresent(QuarkusTest.class)).as(c.getName()).isTrue());
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
