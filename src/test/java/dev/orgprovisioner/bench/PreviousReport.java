package dev.orgprovisioner.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last committed report ({@code docs/bench/report.json}, or {@code -Dbench.previous=<path>}):
 * its summary rows by key, each with the load average of the section that measured it, so a new
 * report shows the previous figures beside its own.
 */
final class PreviousReport {

  static final Path DEFAULT = Path.of("docs", "bench", "report.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path source;
  private final String assembledAt;
  private final List<Map<String, Object>> rows;
  private final Map<String, Map<String, Object>> byKey = new HashMap<>();

  private PreviousReport(Path source, String assembledAt, List<Map<String, Object>> rows) {
    this.source = source;
    this.assembledAt = assembledAt;
    this.rows = rows;
    for (Map<String, Object> row : rows) {
      byKey.putIfAbsent(defaultKey(row), row);
      Object key = row.get("key");
      if (key != null) {
        byKey.put(String.valueOf(key), row);
      }
    }
  }

  /** The report at {@code bench.previous} or the committed one; empty rows when there is none. */
  static PreviousReport load() {
    return load(Path.of(System.getProperty("bench.previous", DEFAULT.toString())));
  }

  @SuppressWarnings("unchecked")
  static PreviousReport load(Path path) {
    if (!Files.isRegularFile(path)) {
      return new PreviousReport(path, null, List.of());
    }
    Map<String, Object> report;
    try {
      report = JSON.readValue(path.toFile(), new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("previous bench report " + path + " is not readable", e);
    }
    Map<String, Object> loads = new HashMap<>();
    for (Map<String, Object> s :
        (List<Map<String, Object>>) report.getOrDefault("benchmarks", List.of())) {
      Map<String, Object> machine = (Map<String, Object>) s.getOrDefault("machine", Map.of());
      loads.put(String.valueOf(s.get("id")), machine.get("load_average_1m"));
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> row :
        (List<Map<String, Object>>) report.getOrDefault("summary", List.of())) {
      Map<String, Object> r = new LinkedHashMap<>(row);
      r.putIfAbsent("load_average_1m", loads.get(String.valueOf(row.get("benchmark"))));
      rows.add(r);
    }
    return new PreviousReport(path, (String) report.get("assembled_at"), rows);
  }

  /** A row's key when its benchmark gave none: section id and measurement. */
  static String defaultKey(Map<String, Object> row) {
    return row.get("benchmark") + " / " + row.get("what");
  }

  /** The previous row measuring the same: by the row's own key, else by section and measurement. */
  Optional<Map<String, Object>> match(Map<String, Object> row) {
    Object key = row.get("key");
    if (key != null && byKey.containsKey(String.valueOf(key))) {
      return Optional.of(byKey.get(String.valueOf(key)));
    }
    return Optional.ofNullable(byKey.get(defaultKey(row)));
  }

  /** Previous rows that no row of {@code current} matches (not measured, or renamed). */
  List<Map<String, Object>> unmatched(List<Map<String, Object>> current) {
    List<Map<String, Object>> left = new ArrayList<>(rows);
    for (Map<String, Object> row : current) {
      match(row).ifPresent(m -> left.removeIf(r -> r == m));
    }
    return left;
  }

  boolean present() {
    return assembledAt != null;
  }

  /** Where it was read from and when it was assembled, for the report's text. */
  String describe() {
    return present()
        ? "`" + source + "`, assembled " + assembledAt
        : "none (no report at `" + source + "`)";
  }
}
