package dev.orgprovisioner.bench;

import static dev.orgprovisioner.bench.BenchReport.fmt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's summary: every row of every section with its goal, the load average while it was
 * measured, and the previous report's figures beside the new ones.
 */
final class SummaryTable {

  private SummaryTable() {}

  /**
   * The summary rows of {@code sections}, each with its benchmark, the section's load average and
   * time, and the matching row of {@code previous} (if any), ordered by item.
   */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rows(
      List<Map<String, Object>> sections, PreviousReport previous) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> s : sections) {
      Map<String, Object> machine = (Map<String, Object>) s.getOrDefault("machine", Map.of());
      for (Map<String, Object> row : (List<Map<String, Object>>) s.get("summary")) {
        Map<String, Object> r = new LinkedHashMap<>(row);
        r.put("benchmark", s.get("id"));
        r.put("load_average_1m", machine.get("load_average_1m"));
        r.put("measured_at", s.get("measured_at"));
        previous
            .match(r)
            .ifPresent(
                p -> {
                  Map<String, Object> before = new LinkedHashMap<>();
                  for (String k : List.of("ours", "baseline", "ratio", "load_average_1m")) {
                    before.put(k, p.get(k));
                  }
                  r.put("previous", before);
                });
        rows.add(r);
      }
    }
    rows.sort(Comparator.comparing(r -> String.valueOf(r.get("item")), SummaryTable::byItem));
    return rows;
  }

  /** Items as numbers part by part, so 2 comes before 16.3 and 17.3 after 5. */
  static int byItem(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c;
      try {
        c = Long.compare(Long.parseLong(x[i].trim()), Long.parseLong(y[i].trim()));
      } catch (NumberFormatException e) {
        c = x[i].compareTo(y[i]);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  /** The Markdown of the summary (heading, explanation, table, previous rows left over). */
  @SuppressWarnings("unchecked")
  static String markdown(List<Map<String, Object>> rows, PreviousReport previous) {
    StringBuilder md = new StringBuilder();
    md.append("## Summary\n\n");
    md.append(
        "Ratio = ours / baseline, from raw figures of the same run; each row says what its"
            + " baseline is. Below 1 means fewer milliseconds, calls or MiB than the baseline"
            + " (for throughput, above 1 is better). Goal: the bound the issue sets, checked"
            + " against this run's unrounded figures. Previous: the same row of the previous"
            + " report ("
            + previous.describe()
            + "), as ours / baseline / ratio. Load: the 1-minute load average when the row was"
            + " measured, now / previous; on 2 cores a load above 2 means the benchmark shared"
            + " the CPU with other work, and its times are pessimistic (CPU-seconds less"
            + " so).\n\n");
    md.append(
        "| item | measurement | ours | baseline | ratio | goal | previous | load | benchmark |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> r : rows) {
      Map<String, Object> before = (Map<String, Object>) r.get("previous");
      md.append(
          String.format(
              "| %s | %s | %s | %s | %s | %s | %s | %s / %s | [%s](#%s) |%n",
              r.get("item"),
              r.get("what"),
              fmt(r.get("ours")),
              fmt(r.get("baseline")),
              fmt(r.get("ratio")),
              goal(r),
              before == null ? "–" : triple(before),
              fmt(r.get("load_average_1m")),
              before == null ? "–" : fmt(before.get("load_average_1m")),
              r.get("benchmark"),
              r.get("benchmark")));
    }
    md.append("\n");
    List<Map<String, Object>> left = previous.unmatched(rows);
    if (!left.isEmpty()) {
      md.append(
          "Rows of the previous report with no figure in this run (benchmark not run, or its"
              + " measurement renamed):\n\n");
      md.append("| item | measurement | previous | load | benchmark |\n");
      md.append("|---|---|---|---|---|\n");
      for (Map<String, Object> r : left) {
        md.append(
            String.format(
                "| %s | %s | %s | %s | %s |%n",
                r.get("item"),
                r.get("what"),
                triple(r),
                fmt(r.get("load_average_1m")),
                r.get("benchmark")));
      }
      md.append("\n");
    }
    return md.toString();
  }

  private static String triple(Map<String, Object> r) {
    return fmt(r.get("ours")) + " / " + fmt(r.get("baseline")) + " / " + fmt(r.get("ratio"));
  }

  private static String goal(Map<String, Object> r) {
    Object goal = r.get("goal");
    if (goal == null) {
      return "–";
    }
    Object met = r.get("goal_met");
    return goal + (met == null ? "" : Boolean.TRUE.equals(met) ? ": met" : ": **not met**");
  }
}
