package dev.orgprovisioner.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encodes spooled row values for Firestore and back without losing their Java type: strings,
 * booleans, longs and doubles as themselves, java.time and decimals as {@code {type, value}} maps.
 */
final class SpoolValues {

  private static final String TYPE = "type";
  private static final String VALUE = "value";

  private SpoolValues() {}

  static Map<String, Object> encode(Map<String, Object> row) {
    Map<String, Object> out = new LinkedHashMap<>();
    row.forEach((column, value) -> out.put(column, encode(column, value)));
    return out;
  }

  static Map<String, Object> decode(Map<String, Object> stored) {
    Map<String, Object> out = new LinkedHashMap<>();
    stored.forEach((column, value) -> out.put(column, decode(column, value)));
    return out;
  }

  private static Object encode(String column, Object v) {
    if (v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Double || v instanceof Float) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof Instant
        || v instanceof LocalDate
        || v instanceof LocalDateTime
        || v instanceof LocalTime
        || v instanceof BigDecimal) {
      return Map.of(TYPE, v.getClass().getSimpleName(), VALUE, v.toString());
    }
    throw new IllegalArgumentException(
        "column " + column + ": cannot spool a value of type " + v.getClass().getName());
  }

  private static Object decode(String column, Object v) {
    if (!(v instanceof Map<?, ?> m)) {
      return v;
    }
    String value = String.valueOf(m.get(VALUE));
    return switch (String.valueOf(m.get(TYPE))) {
      case "Instant" -> Instant.parse(value);
      case "LocalDate" -> LocalDate.parse(value);
      case "LocalDateTime" -> LocalDateTime.parse(value);
      case "LocalTime" -> LocalTime.parse(value);
      case "BigDecimal" -> new BigDecimal(value);
      default ->
          throw new IllegalArgumentException(
              "column " + column + ": unknown spooled type " + m.get(TYPE));
    };
  }
}
