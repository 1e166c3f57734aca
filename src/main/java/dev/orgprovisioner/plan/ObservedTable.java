package dev.orgprovisioner.plan;

import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.Partitioning;
import java.util.List;
import java.util.Map;

/** A table as the warehouse reports it. */
public record ObservedTable(
    String name,
    String description,
    List<Column> columns,
    Partitioning partitioning,
    List<String> clustering,
    Map<String, String> labels) {

  public ObservedTable {
    columns = List.copyOf(columns);
    clustering = clustering == null ? List.of() : List.copyOf(clustering);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
