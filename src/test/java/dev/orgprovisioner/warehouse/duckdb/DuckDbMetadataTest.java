package dev.orgprovisioner.warehouse.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metadata table: one row per object; a single-file warehouse of earlier versions refused. */
class DuckDbMetadataTest {

  @Test
  void singleFileOfAnEarlierVersion_isRefusedAndLeftAsItIs(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("earlier.duckdb");
    try (Connection c = connect(file.toString());
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA acme_local");
      st.execute("CREATE TABLE acme_local.t (x INTEGER)");
    }
    long size = Files.size(file);

    assertThatThrownBy(() -> new DuckDbWarehouse(file.toString()))
        .isInstanceOf(WarehouseException.class)
        .hasMessageContaining("warehouse.duckdb.path")
        .hasMessageContaining("a DuckDB file per dataset in a folder");
    assertThat(Files.size(file)).isEqualTo(size);
  }

  @Test
  void writingAnObjectAgain_leavesOneRow(@TempDir Path dir) throws SQLException {
    String folder = dir.resolve("warehouse").toString();
    try (DuckDbWarehouse warehouse = new DuckDbWarehouse(folder)) {
      warehouse.apply(
          new PlanStep.CreateDataset("acme_local", "EU", "first", Map.of(), DatasetSettings.NONE));
      for (String description : new String[] {"second", "third"}) {
        warehouse.apply(
            new PlanStep.UpdateDataset("acme_local", description, Map.of(), DatasetSettings.NONE));
      }
      assertThat(warehouse.freshSnapshot("acme_local").orElseThrow().description())
          .isEqualTo("third");
    }
    assertThat(metadataRows(dir.resolve("warehouse/acme_local.duckdb").toString()))
        .as("the dataset's own file holds its row")
        .isEqualTo(1);
  }

  private static long metadataRows(String file) throws SQLException {
    try (Connection c = connect(file);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM " + DuckDbMetadata.META_SCHEMA + ".object_meta")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Connection connect(String file) throws SQLException {
    return new DuckDBDriver().connect("jdbc:duckdb:" + file, new Properties());
  }
}
