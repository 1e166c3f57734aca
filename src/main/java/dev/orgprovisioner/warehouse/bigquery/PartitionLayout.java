package dev.orgprovisioner.warehouse.bigquery;

import com.google.cloud.bigquery.QueryParameterValue;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How a table is time-partitioned (column, its type, granularity), and the MERGE predicate that
 * limits the target to the partitions of the source rows, so BigQuery prunes the rest.
 *
 * @param columnType TIMESTAMP, DATE or DATETIME
 * @param granularity HOUR, DAY, MONTH or YEAR
 */
record PartitionLayout(String column, String columnType, String granularity) {

  /** A predicate on the target alias {@code T} and its named parameters. */
  record Predicate(String sql, Map<String, QueryParameterValue> parameters) {}

  private static final DateTimeFormatter DATETIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  /**
   * {@code (T.c >= @p0_lo AND T.c < @p0_hi OR … OR T.c IS NULL)}: one half-open range per run of
   * adjacent partitions the rows fall in (constant bounds, so BigQuery prunes with them), and the
   * NULL partition if a row has no value. Relies on a keyed row keeping its partition value across
   * writes (docs/catalog-format.md, "Keyed writes"), so no matching target row lies elsewhere.
   */
  Predicate prune(String table, List<Map<String, Object>> rows) {
    TreeSet<LocalDateTime> starts = new TreeSet<>();
    boolean nulls = false;
    for (Map<String, Object> row : rows) {
      Object v = row.get(column);
      if (v == null) {
        nulls = true;
      } else {
        starts.add(partitionStart(table, v));
      }
    }
    String col = "T." + BigQueryRows.column(column);
    List<String> terms = new ArrayList<>();
    Map<String, QueryParameterValue> params = new LinkedHashMap<>();
    LocalDateTime from = null;
    LocalDateTime to = null;
    for (LocalDateTime start : starts) {
      if (from != null && !start.equals(to)) {
        terms.add(range(col, from, to, terms.size(), params));
        from = null;
      }
      if (from == null) {
        from = start;
      }
      to = next(start);
    }
    if (from != null) {
      terms.add(range(col, from, to, terms.size(), params));
    }
    if (nulls) {
      terms.add(col + " IS NULL");
    }
    return new Predicate("(" + String.join(" OR ", terms) + ")", params);
  }

  private String range(
      String col,
      LocalDateTime from,
      LocalDateTime to,
      int i,
      Map<String, QueryParameterValue> params) {
    params.put("p" + i + "_lo", bound(from));
    params.put("p" + i + "_hi", bound(to));
    return col + " >= @p" + i + "_lo AND " + col + " < @p" + i + "_hi";
  }

  /** The start of the partition holding {@code value}, as a UTC wall-clock time. */
  private LocalDateTime partitionStart(String table, Object value) {
    LocalDateTime t = wallClock(table, value);
    return switch (granularity) {
      case "HOUR" -> t.truncatedTo(ChronoUnit.HOURS);
      case "MONTH" -> t.toLocalDate().withDayOfMonth(1).atStartOfDay();
      case "YEAR" -> t.toLocalDate().withDayOfYear(1).atStartOfDay();
      default -> t.truncatedTo(ChronoUnit.DAYS);
    };
  }

  private LocalDateTime next(LocalDateTime start) {
    return switch (granularity) {
      case "HOUR" -> start.plusHours(1);
      case "MONTH" -> start.plusMonths(1);
      case "YEAR" -> start.plusYears(1);
      default -> start.plusDays(1);
    };
  }

  private LocalDateTime wallClock(String table, Object v) {
    if (columnType.equals("TIMESTAMP")) {
      Instant i =
          v instanceof Instant x
              ? x
              : v instanceof OffsetDateTime o
                  ? o.toInstant()
                  : v instanceof ZonedDateTime z ? z.toInstant() : null;
      if (i != null) {
        return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
      }
    } else if (columnType.equals("DATE") && v instanceof LocalDate d) {
      return d.atStartOfDay();
    } else if (columnType.equals("DATETIME") && v instanceof LocalDateTime d) {
      return d;
    }
    throw new WarehouseException(
        Kind.PERMANENT,
        "upsert into "
            + table
            + ": partitioning column "
            + column
            + " is "
            + columnType
            + ", the row holds a "
            + v.getClass().getSimpleName());
  }

  private QueryParameterValue bound(LocalDateTime t) {
    return switch (columnType) {
      case "DATE" -> QueryParameterValue.date(t.toLocalDate().toString());
      case "DATETIME" -> QueryParameterValue.dateTime(DATETIME.format(t));
      default -> BigQueryRows.parameter(t.toInstant(ZoneOffset.UTC));
    };
  }
}
