package dev.orgprovisioner.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.testing.CatalogFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's table counts and table list are generated from the catalog. Run with {@code
 * -Dcatalog.docs.write=true} to rewrite the README block after changing the catalog.
 */
class CatalogDocsTest {

  private static final Path README = Path.of("README.md");

  @Test
  void readmeCatalogBlock_matchesTheCatalog() throws IOException {
    Catalog catalog = CatalogFixtures.project();
    String readme = Files.readString(README);
    String expected = CatalogDocs.replaceBlock(readme, catalog);
    if (Boolean.getBoolean("catalog.docs.write")) {
      Files.writeString(README, expected);
      readme = expected;
    }

    assertThat(readme)
        .as(
            "README catalog block is stale: run ./mvnw test -Dtest=CatalogDocsTest -Dcatalog.docs.write=true")
        .isEqualTo(expected);
  }

  @Test
  void generatedBlock_countsWhatTheCatalogHas() {
    String block = CatalogDocs.readmeBlock(CatalogFixtures.minimal());

    assertThat(block)
        .contains("**2 central tables**", "**2 per-org tables**", "**1 per-org views**");
    assertThat(block).contains("| org | `usage_daily` | usage_date | provider |");
  }
}
