package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.FieldType;
import dev.orgprovisioner.catalog.PartitionType;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.ObservedTable;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.ColumnRow;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.FieldPathRow;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.OptionRow;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.Rows;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.SchemaRow;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.TableRow;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.View;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.ViewRow;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** INFORMATION_SCHEMA queries and the assembly of their rows into observed datasets. */
class InformationSchemaTest {

  @Test
  void queries_areRegionQualified_andTakeTheDatasetsAsAParameter() {
    for (View v : View.values()) {
      assertThat(v.sql("my-project", "europe-west3"))
          .contains("`my-project`.`region-europe-west3`.INFORMATION_SCHEMA." + v.name() + " ")
          .contains("IN UNNEST(@datasets)");
    }
  }

  @Test
  void rows_areAssembledIntoTablesViewsAndNestedColumns() {
    Rows rows = Rows.empty();
    rows.schemata().add(new SchemaRow("org_a", "EU"));
    rows.schemaOptions().add(new OptionRow("org_a", null, "description", "\"Org A.\""));
    rows.schemaOptions()
        .add(
            new OptionRow(
                "org_a", null, "labels", "[STRUCT(\"managed-by\", \"org-provisioner\")]"));
    rows.tables().add(new TableRow("org_a", "events", "BASE TABLE", "PARTITION BY DATE(ts)"));
    rows.tables().add(new TableRow("org_a", "v_events", "VIEW", null));
    rows.views().add(new ViewRow("org_a", "v_events", "SELECT 1 AS one"));
    rows.tableOptions().add(new OptionRow("org_a", "events", "partition_expiration_days", "30.0"));
    rows.tableOptions().add(new OptionRow("org_a", "events", "require_partition_filter", "true"));
    rows.tableOptions().add(new OptionRow("org_a", "v_events", "description", "\"A view.\""));
    rows.columns().add(new ColumnRow("org_a", "events", "ts", 1, false, false, true, null));
    rows.columns()
        .add(new ColumnRow("org_a", "events", "_PARTITIONTIME", 3, true, true, false, null));
    rows.columns().add(new ColumnRow("org_a", "events", "kind", 2, true, false, false, 1L));
    rows.columns().add(new ColumnRow("org_a", "events", "lines", 4, true, false, false, null));
    rows.fieldPaths().add(new FieldPathRow("org_a", "events", "ts", "TIMESTAMP", "When."));
    rows.fieldPaths().add(new FieldPathRow("org_a", "events", "kind", "STRING", null));
    rows.fieldPaths()
        .add(
            new FieldPathRow(
                "org_a", "events", "lines", "ARRAY<STRUCT<sku STRING NOT NULL>>", "Lines."));
    rows.fieldPaths().add(new FieldPathRow("org_a", "events", "lines.sku", "STRING", "SKU."));

    Map<String, ObservedDataset> out = InformationSchema.assemble(rows);

    ObservedDataset ds = out.get("org_a");
    assertThat(ds.description()).isEqualTo("Org A.");
    assertThat(ds.location()).isEqualTo("EU");
    assertThat(ds.labels()).containsEntry("managed-by", "org-provisioner");
    assertThat(ds.view("v_events").orElseThrow().description()).isEqualTo("A view.");
    assertThat(ds.view("v_events").orElseThrow().sql()).isEqualTo("SELECT 1 AS one");
    ObservedTable events = ds.table("events").orElseThrow();
    assertThat(events.columns()).extracting(Column::name).containsExactly("ts", "kind", "lines");
    assertThat(events.columns().get(0).mode()).isEqualTo(FieldMode.REQUIRED);
    assertThat(events.columns().get(0).description()).isEqualTo("When.");
    Column lines = events.columns().get(2);
    assertThat(lines.mode()).isEqualTo(FieldMode.REPEATED);
    assertThat(lines.type()).isEqualTo(FieldType.STRUCT);
    assertThat(lines.field("sku").orElseThrow().mode()).isEqualTo(FieldMode.REQUIRED);
    assertThat(lines.field("sku").orElseThrow().description()).isEqualTo("SKU.");
    assertThat(events.partitioning().field()).isEqualTo("ts");
    assertThat(events.partitioning().type()).isEqualTo(PartitionType.DAY);
    assertThat(events.partitioning().expirationDays()).isEqualTo(30L);
    assertThat(events.partitioning().requirePartitionFilter()).isTrue();
    assertThat(events.clustering()).containsExactly("kind");
  }
}
