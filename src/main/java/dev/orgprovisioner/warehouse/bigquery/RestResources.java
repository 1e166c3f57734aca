package dev.orgprovisioner.warehouse.bigquery;

import com.google.cloud.bigquery.Clustering;
import com.google.cloud.bigquery.Dataset;
import com.google.cloud.bigquery.EncryptionConfiguration;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.RangePartitioning;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableDefinition;
import com.google.cloud.bigquery.TimePartitioning;
import com.google.cloud.bigquery.ViewDefinition;
import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.FieldType;
import dev.orgprovisioner.catalog.PartitionType;
import dev.orgprovisioner.catalog.Partitioning;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.ObservedTable;
import dev.orgprovisioner.plan.ObservedView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps REST resources (datasets.get, tables.get) into observed datasets, field for field as {@link
 * InformationSchema} assembles the bulk read, so both reads of an unchanged dataset are equal.
 */
final class RestResources {

  private static final double MILLIS_PER_DAY = 86_400_000.0;

  /** What INFORMATION_SCHEMA.COLUMNS names the partitioning column of ingestion-time tables. */
  private static final String INGESTION_TIME = "_PARTITIONTIME";

  private RestResources() {}

  /** The dataset with its tables and views (each read by tables.get). */
  static ObservedDataset dataset(Dataset dataset, List<Table> objects) {
    Map<String, ObservedTable> tables = new LinkedHashMap<>();
    Map<String, ObservedView> views = new LinkedHashMap<>();
    for (Table t : objects) {
      String name = t.getTableId().getTable();
      if (isView(t.getDefinition())) {
        views.put(name, view(t));
      } else {
        tables.put(name, table(t));
      }
    }
    return new ObservedDataset(
        dataset.getDatasetId().getDataset(),
        OptionValues.blankToNull(dataset.getDescription()),
        dataset.getLocation(),
        labels(dataset.getLabels()),
        settings(dataset),
        tables,
        views);
  }

  /** The dataset options that are set, as SCHEMATA_OPTIONS lists them (labels apart). */
  private static DatasetSettings settings(Dataset dataset) {
    EncryptionConfiguration encryption = dataset.getDefaultEncryptionConfiguration();
    return new DatasetSettings(
        millis(dataset.getDefaultTableLifetime()),
        millis(dataset.getDefaultPartitionExpirationMs()),
        dataset.getMaxTimeTravelHours() == null
            ? null
            : Duration.ofHours(dataset.getMaxTimeTravelHours()),
        encryption == null ? null : OptionValues.blankToNull(encryption.getKmsKeyName()),
        Map.of());
  }

  private static Duration millis(Long ms) {
    return ms == null ? null : Duration.ofMillis(ms);
  }

  /** Views and materialized views: INFORMATION_SCHEMA.TABLES types containing VIEW. */
  private static boolean isView(TableDefinition definition) {
    return definition != null && definition.getType().name().contains("VIEW");
  }

  private static ObservedView view(Table t) {
    return new ObservedView(
        t.getTableId().getTable(),
        OptionValues.blankToNull(t.getDescription()),
        labels(t.getLabels()),
        t.getDefinition() instanceof ViewDefinition view ? view.getQuery() : null);
  }

  private static ObservedTable table(Table t) {
    TableDefinition definition = t.getDefinition();
    Schema schema = definition == null ? null : definition.getSchema();
    List<Column> columns = new ArrayList<>();
    if (schema != null) {
      schema.getFields().forEach(f -> columns.add(column(f)));
    }
    List<String> clustering = List.of();
    Partitioning partitioning = null;
    if (definition instanceof StandardTableDefinition standard) {
      clustering = clustering(standard.getClustering(), columns);
      partitioning = partitioning(t, standard);
    }
    return new ObservedTable(
        t.getTableId().getTable(),
        OptionValues.blankToNull(t.getDescription()),
        columns,
        partitioning,
        clustering,
        labels(t.getLabels()));
  }

  private static Column column(Field f) {
    FieldMode mode =
        f.getMode() == null ? FieldMode.NULLABLE : FieldMode.valueOf(f.getMode().name());
    List<Column> fields = new ArrayList<>();
    FieldList sub = f.getSubFields();
    if (sub != null) {
      sub.forEach(s -> fields.add(column(s)));
    }
    // An unknown type (INTERVAL, RANGE...) stays null, as in the bulk read.
    FieldType type = FieldType.parse(f.getType().name()).orElse(null);
    return new Column(
        f.getName(), type, mode, OptionValues.blankToNull(f.getDescription()), fields);
  }

  /** Clustering fields spelled as the schema spells them, as INFORMATION_SCHEMA.COLUMNS does. */
  private static List<String> clustering(Clustering clustering, List<Column> columns) {
    if (clustering == null || clustering.getFields() == null) {
      return List.of();
    }
    return clustering.getFields().stream()
        .map(name -> Column.find(columns, name).map(Column::name).orElse(name))
        .toList();
  }

  private static Partitioning partitioning(Table t, StandardTableDefinition definition) {
    TimePartitioning time = definition.getTimePartitioning();
    RangePartitioning range = definition.getRangePartitioning();
    boolean filter =
        Boolean.TRUE.equals(t.getRequirePartitionFilter())
            || (time != null && Boolean.TRUE.equals(time.getRequirePartitionFilter()));
    if (time != null) {
      Long ms = time.getExpirationMs();
      return new Partitioning(
          PartitionType.valueOf(time.getType().name()),
          time.getField() != null ? time.getField() : INGESTION_TIME,
          ms == null ? null : Math.round(ms / MILLIS_PER_DAY),
          filter);
    }
    if (range != null) {
      // The bulk read sees a RANGE_BUCKET clause as granularity DAY of its column: same here.
      return new Partitioning(PartitionType.DAY, range.getField(), null, filter);
    }
    return null;
  }

  private static Map<String, String> labels(Map<String, String> labels) {
    return labels == null ? Map.of() : labels;
  }
}
