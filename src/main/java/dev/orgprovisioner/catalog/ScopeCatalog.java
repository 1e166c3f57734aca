package dev.orgprovisioner.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The part of the catalog for one scope: dataset settings, tables in creation order, views. */
public record ScopeCatalog(
    Scope scope,
    String version,
    String datasetName,
    String description,
    Map<String, String> labels,
    List<TableDef> tables,
    List<ViewDef> views) {

  public ScopeCatalog {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    tables = List.copyOf(tables);
    views = views == null ? List.of() : List.copyOf(views);
  }

  public Optional<TableDef> table(String name) {
    return tables.stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
  }

  public Optional<ViewDef> view(String name) {
    return views.stream().filter(v -> v.name().equalsIgnoreCase(name)).findFirst();
  }
}
