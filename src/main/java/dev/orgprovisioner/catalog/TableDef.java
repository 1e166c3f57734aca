package dev.orgprovisioner.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A table as the catalog declares it: schema, partitioning, clustering, labels. */
public record TableDef(
    String name,
    String description,
    List<Column> columns,
    Partitioning partitioning,
    List<String> clustering,
    Map<String, String> labels) {

  public TableDef {
    columns = List.copyOf(columns);
    clustering = clustering == null ? List.of() : List.copyOf(clustering);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public Optional<Partitioning> partitioningIfAny() {
    return Optional.ofNullable(partitioning);
  }

  public Optional<Column> column(String columnName) {
    return Column.find(columns, columnName);
  }
}
