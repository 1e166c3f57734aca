package dev.orgprovisioner.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CdsLinkingTest {

  @Test
  void classNames_keepsTheApplicationLoadersClasses_notTheBootLoadersNorHiddenOnes() {
    String hierarchy =
        String.join(
            "\n",
            "java.lang.Object/null",
            "|--java.lang.String/null",
            "|--dev.orgprovisioner.app.Startup/0x00007f161c0f0730",
            "|  |--dev.orgprovisioner.app.Startup$Inner/0x00007f161c0f0730",
            "|--java.util.Comparator$$Lambda$765/0x00007f15cd05a790/null",
            "|--com.example.Foo$$Lambda$668/0x00007f15cd1ba368/0x00007f161c0f0730",
            "");

    assertThat(CdsLinking.classNames(hierarchy))
        .containsExactly("dev.orgprovisioner.app.Startup", "dev.orgprovisioner.app.Startup$Inner");
  }

  @Test
  void linkLoadedClasses_linksTheClassesThisJvmHasLoaded() {
    // The test JVM has loaded (at least) this class through its application class loader.
    assertThat(CdsLinking.linkLoadedClasses(getClass().getClassLoader())).isPositive();
  }
}
