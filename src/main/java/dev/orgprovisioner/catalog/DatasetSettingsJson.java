package dev.orgprovisioner.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orgprovisioner.catalog.DatasetSettings.Option;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Dataset settings as JSON (or YAML) objects keyed like BigQuery's dataset options: whole days,
 * whole hours, the key name, labels. One shape for the catalog, the onboarding command and the
 * settings an org's profile records.
 */
public final class DatasetSettingsJson {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long HOUR_MS = 3_600_000L;
  private static final long DAY_MS = 24 * HOUR_MS;

  /** Far beyond any sensible setting, far below an overflow. */
  private static final long MAX_UNITS = 1_000_000L;

  private DatasetSettingsJson() {}

  /**
   * The settings in {@code node}; other fields are ignored. A value of the wrong shape is reported
   * to {@code problem} (key, message) and left unset.
   */
  public static DatasetSettings read(JsonNode node, BiConsumer<String, String> problem) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return DatasetSettings.NONE;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode l = node.path(DatasetSettings.LABELS);
    if (l.isObject()) {
      l.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    } else if (!l.isMissingNode() && !l.isNull()) {
      problem.accept(DatasetSettings.LABELS, "must be a map of label keys to values");
    }
    return new DatasetSettings(
        whole(node, Option.DEFAULT_TABLE_EXPIRATION, DAY_MS, "days", problem),
        whole(node, Option.DEFAULT_PARTITION_EXPIRATION, DAY_MS, "days", problem),
        whole(node, Option.MAX_TIME_TRAVEL, HOUR_MS, "hours", problem),
        text(node, Option.DEFAULT_KMS_KEY, problem),
        labels);
  }

  /** Reads stored settings (written by {@link #write}); text that is not JSON reads as none. */
  public static DatasetSettings read(String json) {
    if (json == null || json.isBlank()) {
      return DatasetSettings.NONE;
    }
    try {
      return read(JSON.readTree(json), (field, message) -> {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("stored dataset settings are not JSON", e);
    }
  }

  /**
   * The settings as a JSON object, options in a fixed order, labels sorted; null if none. Times
   * must be whole days (hours for time travel), as every source but the configuration gives them.
   */
  public static String write(DatasetSettings s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    ObjectNode out = JSON.createObjectNode();
    for (Option option : Option.values()) {
      Object value = option.of(s);
      if (value instanceof Duration d) {
        long unit = option == Option.MAX_TIME_TRAVEL ? HOUR_MS : DAY_MS;
        if (d.toMillis() % unit != 0) {
          throw new IllegalArgumentException(option.key() + " is not a whole number: " + d);
        }
        out.put(option.key(), d.toMillis() / unit);
      } else if (value != null) {
        out.put(option.key(), value.toString());
      }
    }
    if (!s.labels().isEmpty()) {
      ObjectNode labels = out.putObject(DatasetSettings.LABELS);
      new TreeMap<>(s.labels()).forEach(labels::put);
    }
    return out.toString();
  }

  private static Duration whole(
      JsonNode node, Option option, long unitMs, String unit, BiConsumer<String, String> problem) {
    JsonNode v = node.path(option.key());
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToLong() && Math.abs(v.asLong()) <= MAX_UNITS) {
      return Duration.ofMillis(v.asLong() * unitMs);
    }
    problem.accept(
        option.key(), "must be a whole number of " + unit + " (at most " + MAX_UNITS + ")");
    return null;
  }

  private static String text(JsonNode node, Option option, BiConsumer<String, String> problem) {
    JsonNode v = node.path(option.key());
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      problem.accept(option.key(), "must be a string");
      return null;
    }
    return v.asText();
  }
}
