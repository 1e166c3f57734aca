package dev.orgprovisioner.warehouse.bigquery;

import dev.orgprovisioner.warehouse.bigquery.BigQueryStub.ApiError;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The partition predicate of a MERGE's ON clause as the stub evaluates it: half-open ranges of the
 * partitioning column (and its NULL partition), which target rows must fall in to match.
 */
final class StubPartitionFilter {

  /** An ON clause split into its key equalities and its partition predicate (null if none). */
  record On(String keys, String predicate) {}

  private record Range(LocalDateTime from, LocalDateTime to) {}

  private static final Pattern RANGE =
      Pattern.compile("T\\.`(\\w+)` >= (@\\w+) AND T\\.`(\\w+)` < (@\\w+)");
  private static final Pattern NULL = Pattern.compile("T\\.`(\\w+)` IS NULL");

  private final String column;
  private final List<Range> ranges;
  private final boolean nulls;

  private StubPartitionFilter(String column, List<Range> ranges, boolean nulls) {
    this.column = column;
    this.ranges = ranges;
    this.nulls = nulls;
  }

  static On split(String on) {
    int i = on.indexOf(" AND (");
    if (i < 0) {
      return new On(on, null);
    }
    String rest = on.substring(i + " AND ".length()).trim();
    if (!rest.endsWith(")")) {
      throw new ApiError(400, "invalidQuery", "stub: unbalanced MERGE condition " + on);
    }
    return new On(on.substring(0, i), rest.substring(1, rest.length() - 1));
  }

  /**
   * @param value a parameter's value as the stub stores the named column's values
   * @param canonical the table's spelling of a column name
   */
  static StubPartitionFilter parse(
      String predicate,
      BiFunction<String, String, Object> value,
      java.util.function.UnaryOperator<String> canonical) {
    String column = null;
    List<Range> ranges = new ArrayList<>();
    boolean nulls = false;
    for (String term : predicate.split(" OR ")) {
      Matcher r = RANGE.matcher(term.trim());
      Matcher n = NULL.matcher(term.trim());
      String col;
      if (r.matches() && r.group(1).equals(r.group(3))) {
        col = canonical.apply(r.group(1));
        ranges.add(
            new Range(
                wallClock(value.apply(col, r.group(2))), wallClock(value.apply(col, r.group(4)))));
      } else if (n.matches()) {
        col = canonical.apply(n.group(1));
        nulls = true;
      } else {
        throw new ApiError(400, "invalidQuery", "stub: unsupported partition predicate " + term);
      }
      if (column != null && !column.equals(col)) {
        throw new ApiError(400, "invalidQuery", "stub: partition predicate on two columns");
      }
      column = col;
    }
    return new StubPartitionFilter(column, ranges, nulls);
  }

  /** A WHERE equality on the partitioning column: keeps the one partition of {@code value}. */
  static StubPartitionFilter equalTo(String column, Object value) {
    LocalDateTime t = wallClock(value);
    return new StubPartitionFilter(column, List.of(new Range(t, t)), false);
  }

  String column() {
    return column;
  }

  /** Whether a stored target row lies in the partitions the predicate keeps. */
  boolean admits(Map<String, Object> row) {
    Object v = row.get(column);
    if (v == null) {
      return nulls;
    }
    LocalDateTime t = wallClock(v);
    return ranges.stream().anyMatch(r -> !t.isBefore(r.from()) && t.isBefore(r.to()));
  }

  /** How many partitions of this granularity (HOUR, DAY, MONTH, YEAR) the predicate keeps. */
  long partitions(String granularity) {
    ChronoUnit unit =
        switch (granularity) {
          case "HOUR" -> ChronoUnit.HOURS;
          case "MONTH" -> ChronoUnit.MONTHS;
          case "YEAR" -> ChronoUnit.YEARS;
          default -> ChronoUnit.DAYS;
        };
    long n = nulls ? 1 : 0;
    for (Range r : ranges) {
      n += Math.max(1, unit.between(r.from(), r.to()));
    }
    return n;
  }

  /** A stored TIMESTAMP (micros), DATE or DATETIME value as a UTC wall-clock time. */
  private static LocalDateTime wallClock(Object v) {
    if (v instanceof Long micros) {
      return LocalDateTime.ofInstant(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), ZoneOffset.UTC);
    }
    String s = String.valueOf(v);
    return s.contains("T") || s.contains(" ")
        ? LocalDateTime.parse(s.replace(' ', 'T'))
        : LocalDate.parse(s).atStartOfDay();
  }
}
