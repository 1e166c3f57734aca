package dev.orgprovisioner.warehouse.bigquery;

import dev.orgprovisioner.catalog.PartitionType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses INFORMATION_SCHEMA {@code option_value} literals and {@code PARTITION BY} clauses. */
final class OptionValues {

  private OptionValues() {}

  private static final Pattern TRUNC =
      Pattern.compile(
          "_TRUNC\\s*\\([^,]+,\\s*(HOUR|DAY|MONTH|YEAR)\\s*\\)", Pattern.CASE_INSENSITIVE);

  /**
   * The granularity in a {@code PARTITION BY} clause: {@code DATE(ts)} or a bare DATE column is
   * DAY; {@code TIMESTAMP_TRUNC(ts, HOUR)}, {@code DATE_TRUNC(d, MONTH)} name theirs.
   */
  static PartitionType partitionType(String partitionBy) {
    if (partitionBy == null) {
      return PartitionType.DAY;
    }
    Matcher m = TRUNC.matcher(partitionBy);
    return m.find()
        ? PartitionType.valueOf(m.group(1).toUpperCase(Locale.ROOT))
        : PartitionType.DAY;
  }

  static Long expirationDays(String optionValue) {
    String v = strip(optionValue);
    if (v == null || v.isEmpty() || v.equalsIgnoreCase("NULL")) {
      return null;
    }
    return Math.round(Double.parseDouble(v));
  }

  /** A FLOAT64 or INT64 option value in {@code unit}s (e.g. days) as a duration, to the milli. */
  static Duration duration(String optionValue, Duration unit) {
    String v = strip(optionValue);
    if (v == null || v.isEmpty() || v.equalsIgnoreCase("NULL")) {
      return null;
    }
    return Duration.ofMillis(Math.round(Double.parseDouble(v) * unit.toMillis()));
  }

  /** Labels as TABLE_OPTIONS prints them: {@code [STRUCT("k", "v"), STRUCT("k2", "v2")]}. */
  static Map<String, String> labels(String optionValue) {
    Map<String, String> out = new LinkedHashMap<>();
    if (optionValue == null) {
      return out;
    }
    List<String> literals = new ArrayList<>();
    int i = 0;
    while (i < optionValue.length()) {
      char c = optionValue.charAt(i);
      if (c == '"' || c == '\'') {
        int[] end = new int[1];
        literals.add(unquote(optionValue, i, end));
        i = end[0];
      } else {
        i++;
      }
    }
    for (int k = 0; k + 1 < literals.size(); k += 2) {
      out.put(literals.get(k), literals.get(k + 1));
    }
    return out;
  }

  /** A GoogleSQL string literal as printed in option_value, unescaped; null stays null. */
  static String stringLiteral(String optionValue) {
    String v = strip(optionValue);
    if (v == null || v.isEmpty() || v.equalsIgnoreCase("NULL")) {
      return null;
    }
    char c = v.charAt(0);
    if (c != '"' && c != '\'' && !((c == 'r' || c == 'R') && v.length() > 1)) {
      return v;
    }
    return blankToNull(unquote(v, 0, new int[1]));
  }

  /** Reads the literal starting at {@code start}; stores the index after it in {@code end[0]}. */
  private static String unquote(String s, int start, int[] end) {
    int i = start;
    boolean raw = false;
    if (s.charAt(i) == 'r' || s.charAt(i) == 'R') {
      raw = true;
      i++;
    }
    char q = s.charAt(i);
    boolean triple = s.startsWith(String.valueOf(q).repeat(3), i);
    String closing = triple ? String.valueOf(q).repeat(3) : String.valueOf(q);
    i += closing.length();
    StringBuilder out = new StringBuilder();
    while (i < s.length() && !s.startsWith(closing, i)) {
      char c = s.charAt(i);
      if (c == '\\' && !raw && i + 1 < s.length()) {
        char n = s.charAt(i + 1);
        i += 2;
        switch (n) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'a' -> out.append('\u0007');
          case 'v' -> out.append('\u000b');
          case 'u' -> {
            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          case 'U' -> {
            out.appendCodePoint(Integer.parseInt(s.substring(i, i + 8), 16));
            i += 8;
          }
          case 'x', 'X' -> {
            out.append((char) Integer.parseInt(s.substring(i, i + 2), 16));
            i += 2;
          }
          default -> out.append(n);
        }
      } else {
        out.append(c);
        i++;
      }
    }
    end[0] = i + closing.length();
    return out.toString();
  }

  static String strip(String s) {
    return s == null ? null : s.strip();
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
