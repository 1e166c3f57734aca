package dev.orgprovisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The natural order of catalog versions and the newer-than test on labels. */
class CatalogVersionsTest {

  @Test
  void digitRunsCompareAsNumbers_andTheRestAsText() {
    List<String> versions =
        new ArrayList<>(List.of("10", "2-rc2", "9", "2", "2-rc10", "1", "2-rc1"));

    versions.sort(CatalogVersions.ORDER);

    assertThat(versions).containsExactly("1", "2", "2-rc1", "2-rc2", "2-rc10", "9", "10");
  }

  @Test
  void leadingZeros_doNotMakeAVersionNewer() {
    assertThat(CatalogVersions.compare("007", "7")).isZero();
    assertThat(CatalogVersions.compare("10", "09")).isPositive();
  }

  @Test
  void newerThan_readsTheSchemaVersionLabel_andAMissingLabelIsNeverNewer() {
    assertThat(CatalogVersions.newerThan(Map.of("schema-version", "3"), "2")).isTrue();
    assertThat(CatalogVersions.newerThan(Map.of("schema-version", "2"), "2")).isFalse();
    assertThat(CatalogVersions.newerThan(Map.of("schema-version", "1"), "2")).isFalse();
    assertThat(CatalogVersions.newerThan(Map.of(), "2")).isFalse();
    assertThat(CatalogVersions.of(Map.of("schema-version", "4"))).contains("4");
  }
}
