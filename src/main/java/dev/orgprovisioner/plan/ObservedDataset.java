package dev.orgprovisioner.plan;

import dev.orgprovisioner.catalog.DatasetSettings;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A snapshot of one dataset's metadata as the warehouse reports it.
 *
 * @param settings the options set on the dataset (an option not set is null); labels are in {@code
 *     labels}
 */
public record ObservedDataset(
    String name,
    String description,
    String location,
    Map<String, String> labels,
    DatasetSettings settings,
    Map<String, ObservedTable> tables,
    Map<String, ObservedView> views) {

  /** A dataset with no options set. */
  public ObservedDataset(
      String name,
      String description,
      String location,
      Map<String, String> labels,
      Map<String, ObservedTable> tables,
      Map<String, ObservedView> views) {
    this(name, description, location, labels, DatasetSettings.NONE, tables, views);
  }

  public ObservedDataset {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    settings = settings == null ? DatasetSettings.NONE : settings.withLabels(Map.of());
    tables = caseInsensitive(tables);
    views = caseInsensitive(views);
  }

  public Optional<ObservedTable> table(String tableName) {
    return Optional.ofNullable(tables.get(tableName.toLowerCase(Locale.ROOT)));
  }

  public Optional<ObservedView> view(String viewName) {
    return Optional.ofNullable(views.get(viewName.toLowerCase(Locale.ROOT)));
  }

  private static <T> Map<String, T> caseInsensitive(Map<String, T> in) {
    TreeMap<String, T> out = new TreeMap<>();
    if (in != null) {
      in.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
