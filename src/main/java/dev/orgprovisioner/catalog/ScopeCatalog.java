package dev.orgprovisioner.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of the catalog for one scope: dataset settings, tables in creation order, views.
 *
 * @param labels the dataset's labels
 * @param settings the dataset's other options (expirations, time travel, KMS key); no labels
 */
public record ScopeCatalog(
    Scope scope,
    String version,
    String datasetName,
    String description,
    Map<String, String> labels,
    DatasetSettings settings,
    List<TableDef> tables,
    List<ViewDef> views) {

  public ScopeCatalog {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    settings = settings == null ? DatasetSettings.NONE : settings.withLabels(Map.of());
    tables = List.copyOf(tables);
    views = views == null ? List.of() : List.copyOf(views);
  }

  /** Everything the catalog says about the dataset's options, its labels included. */
  public DatasetSettings datasetSettings() {
    return settings.withLabels(labels);
  }

  public Optional<TableDef> table(String name) {
    return tables.stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
  }

  public Optional<ViewDef> view(String name) {
    return views.stream().filter(v -> v.name().equalsIgnoreCase(name)).findFirst();
  }
}
