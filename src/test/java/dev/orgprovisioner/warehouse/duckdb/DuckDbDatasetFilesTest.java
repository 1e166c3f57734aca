package dev.orgprovisioner.warehouse.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.testing.EmptyDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DuckDB file per dataset: idle datasets beyond the bound are detached (memory stays flat) and
 * read again on demand; deleted ones move aside and come back; names cannot leave the folder.
 */
class DuckDbDatasetFilesTest {

  @Test
  void idleDatasetsBeyondTheBound_areDetached_andReadAgainOnDemand(@TempDir Path dir) {
    String folder = dir.resolve("warehouse").toString();
    try (DuckDbWarehouse duck = new DuckDbWarehouse(folder, null, null, 2)) {
      for (int i = 0; i < 6; i++) {
        withOneRow(duck, "org" + i + "_local", i);
        assertThat(duck.attachedDatasets()).as("after dataset %d", i).isLessThanOrEqualTo(2);
      }
      for (int i = 0; i < 6; i++) {
        assertThat(duck.selectRows("org" + i + "_local", "t", Map.of(), 10))
            .containsExactly(Map.of("n", (long) i));
        assertThat(duck.freshSnapshot("org" + i + "_local").orElseThrow().tables())
            .containsKey("t");
      }
      assertThat(duck.attachedDatasets()).isLessThanOrEqualTo(2);
    }
    assertThat(dir.resolve("warehouse/org5_local.duckdb")).isRegularFile();
    try (DuckDbWarehouse again = new DuckDbWarehouse(folder, null, null, 2)) {
      assertThat(again.selectRows("org3_local", "t", Map.of(), 10))
          .containsExactly(Map.of("n", 3L));
      assertThat(again.attachedDatasets()).isEqualTo(1);
    }
  }

  @Test
  void deletedDataset_movesAside_andUndeleteBringsItBack_acrossARestart(@TempDir Path dir) {
    String folder = dir.resolve("warehouse").toString();
    try (DuckDbWarehouse duck = new DuckDbWarehouse(folder, null, null, 1)) {
      withOneRow(duck, "gone_local", 7);
      duck.deleteDataset("gone_local");
      assertThat(duck.datasetExists("gone_local")).isFalse();
    }
    assertThat(dir.resolve("warehouse/gone_local.duckdb")).doesNotExist();
    assertThat(dir.resolve("warehouse/.deleted/gone_local.duckdb")).isRegularFile();
    try (DuckDbWarehouse duck = new DuckDbWarehouse(folder, null, null, 1)) {
      assertThat(duck.datasetExists("gone_local")).as("still deleted after a restart").isFalse();
      duck.undeleteDataset("gone_local");
      assertThat(duck.selectRows("gone_local", "t", Map.of(), 10)).containsExactly(Map.of("n", 7L));
    }
  }

  @Test
  void aDatasetNameThatWouldLeaveTheFolder_isRefused(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("warehouse");
    try (DuckDbWarehouse duck = new DuckDbWarehouse(folder.toString(), null, null, 1)) {
      for (String name : List.of("../outside", "a/b", "x.duckdb")) {
        assertThatThrownBy(() -> EmptyDatasets.create(duck, name)).as(name).isNotNull();
      }
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("warehouse");
    }
    try (var files = Files.list(folder)) {
      assertThat(files.toList()).isEmpty();
    }
  }

  private static void withOneRow(DuckDbWarehouse duck, String dataset, long n) {
    EmptyDatasets.create(duck, dataset);
    duck.execute("CREATE TABLE " + dataset + ".t (n BIGINT)");
    duck.insertRows(dataset, "t", List.of(Map.of("n", n)));
  }
}
