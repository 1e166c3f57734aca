package dev.orgprovisioner.warehouse.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.PlanStep;
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

/** The metadata table: one row per object, and the rows of an earlier version's table kept. */
class DuckDbMetadataTest {

  @Test
  void databaseFileOfAnEarlierVersion_keepsItsMetadata(@TempDir Path dir) throws SQLException {
    String file = dir.resolve("earlier.duckdb").toString();
    try (Connection c = connect(file);
        Statement st = c.createStatement()) {
      // The table as the first versions created it: indexed, without view_sql and settings.
      st.execute("CREATE SCHEMA _provisioner");
      st.execute(
          "CREATE TABLE _provisioner.objects (dataset VARCHAR NOT NULL, name VARCHAR NOT NULL,"
              + " kind VARCHAR NOT NULL, description VARCHAR, location VARCHAR, labels VARCHAR,"
              + " partitioning VARCHAR, clustering VARCHAR, columns VARCHAR,"
              + " PRIMARY KEY (dataset, name))");
      st.execute("CREATE SCHEMA acme_local");
      st.execute(
          "INSERT INTO _provisioner.objects VALUES ('acme_local', '', 'DATASET', 'from before',"
              + " 'EU', '{\"team\":\"a\"}', NULL, '[]', '{}')");
    }

    for (int open = 1; open <= 2; open++) {
      try (DuckDbWarehouse warehouse = new DuckDbWarehouse(file)) {
        ObservedDataset acme = warehouse.freshSnapshot("acme_local").orElseThrow();
        assertThat(acme.description()).as("open %d", open).isEqualTo("from before");
        assertThat(acme.location()).isEqualTo("EU");
        assertThat(acme.labels()).containsEntry("team", "a");
      }
    }
    assertThat(metadataRows(file, "acme_local")).as("copied once").isEqualTo(1);
  }

  @Test
  void writingAnObjectAgain_leavesOneRow(@TempDir Path dir) throws SQLException {
    String file = dir.resolve("rewritten.duckdb").toString();
    try (DuckDbWarehouse warehouse = new DuckDbWarehouse(file)) {
      warehouse.apply(
          new PlanStep.CreateDataset("acme_local", "EU", "first", Map.of(), DatasetSettings.NONE));
      for (String description : new String[] {"second", "third"}) {
        warehouse.apply(
            new PlanStep.UpdateDataset("acme_local", description, Map.of(), DatasetSettings.NONE));
      }
      assertThat(warehouse.freshSnapshot("acme_local").orElseThrow().description())
          .isEqualTo("third");
    }
    assertThat(metadataRows(file, "acme_local")).isEqualTo(1);
  }

  private static long metadataRows(String file, String dataset) throws SQLException {
    try (Connection c = connect(file);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM "
                    + DuckDbMetadata.META
                    + " WHERE dataset = '"
                    + dataset
                    + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Connection connect(String file) throws SQLException {
    return new DuckDBDriver().connect("jdbc:duckdb:" + file, new Properties());
  }
}
