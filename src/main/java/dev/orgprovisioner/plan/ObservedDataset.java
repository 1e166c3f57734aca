package dev.orgprovisioner.plan;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A snapshot of one dataset's metadata as the warehouse reports it. */
public record ObservedDataset(
    String name,
    String description,
    String location,
    Map<String, String> labels,
    Map<String, ObservedTable> tables,
    Map<String, ObservedView> views) {

  public ObservedDataset {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
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
