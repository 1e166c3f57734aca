package dev.orgprovisioner.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes one benchmark's result ({@code target/bench/<id>.md} and {@code
 * target/bench/results/<id>.json}) and re-assembles {@code target/bench/report.md} and {@code
 * report.json} from every result present, so the report is complete after whichever benchmark
 * finishes last.
 */
public final class BenchReport {

  static final Path DIR = Path.of("target", "bench");
  static final Path RESULTS = DIR.resolve("results");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Sections in the order of the list; unknown ids follow in alphabetical order. */
  private static final List<String> ORDER =
      List.of(
          "intake-throughput",
          "onboarding-e2e",
          "onboarding-duckdb",
          "bigquery-cpu",
          "onboarding-latency",
          "warehouse-calls",
          "noop-sync-calls",
          "bigquery-metadata",
          "bigquery-cost",
          "drift-check",
          "drift-check-duckdb",
          "rollout-quota",
          "worker-startup");

  private BenchReport() {}

  /** The machine, for every section: benchmarks on other machines are not comparable. */
  public static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    var os = ManagementFactory.getOperatingSystemMXBean();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      m.put("ram_mib", sun.getTotalMemorySize() >> 20);
    }
    m.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
    m.put(
        "jdk",
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")");
    m.put(
        "os",
        os.getName()
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    m.put("load_average_1m", Math.round(os.getSystemLoadAverage() * 100) / 100.0);
    return m;
  }

  static String machineLine(Map<String, Object> m) {
    return String.format(
        "%s cores, %s MiB RAM, %s MiB max heap of the benchmark JVM, %s, %s; load average %s when"
            + " measured",
        m.get("cores"),
        m.get("ram_mib"),
        m.get("max_heap_mib"),
        m.get("jdk"),
        m.get("os"),
        m.get("load_average_1m"));
  }

  /** Starts the result of one benchmark. */
  public static Section section(String id, String title) {
    return new Section(id, title);
  }

  /** Formats a number for the report: integers with thousands separators, others to 2 places. */
  static String fmt(Object value) {
    if (value == null) {
      return "–";
    }
    if (value instanceof Double || value instanceof Float) {
      return String.format(Locale.ROOT, "%,.2f", ((Number) value).doubleValue());
    }
    if (value instanceof Number n) {
      return String.format(Locale.ROOT, "%,d", n.longValue());
    }
    return String.valueOf(value);
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** One benchmark's result: method, parameters, raw figures, ratios, rows of the summaries. */
  public static final class Section {
    private final Map<String, Object> data = new LinkedHashMap<>();
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final Map<String, Object> ratios = new LinkedHashMap<>();
    private final List<Map<String, Object>> summary = new ArrayList<>();
    private final List<Double> unroundedRatios = new ArrayList<>();
    private final List<Map<String, Object>> calls = new ArrayList<>();
    private final List<String> body = new ArrayList<>();

    private Section(String id, String title) {
      data.put("id", id);
      data.put("title", title);
    }

    public Section method(String method) {
      data.put("method", method);
      return this;
    }

    public Section param(String key, Object value) {
      parameters.put(key, value);
      return this;
    }

    public Section figure(String key, Object value) {
      figures.put(key, value);
      return this;
    }

    /** A ratio, rounded to 2 places, with what it divides by what. */
    public Section ratio(String key, double value) {
      ratios.put(key, round(value));
      return this;
    }

    /** A row of the summary table at the top of the report. */
    public Section summary(String item, String what, Object ours, Object baseline, Double ratio) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("item", item);
      row.put("what", what);
      row.put("ours", ours);
      row.put("baseline", baseline);
      row.put("ratio", ratio == null ? null : round(ratio));
      summary.add(row);
      unroundedRatios.add(ratio);
      return this;
    }

    /** A row of the summary table with the goal the issue sets for it. */
    public Section summary(
        String item, String what, Object ours, Object baseline, Double ratio, Goal goal) {
      return summary(item, what, ours, baseline, ratio).goal(goal);
    }

    /** The goal of the last summary row, checked against its unrounded ratio or its figure. */
    public Section goal(Goal goal) {
      Map<String, Object> row = lastRow("goal");
      row.put("goal", goal.text());
      row.put("goal_met", goal.met(row.get("ours"), unroundedRatios.get(summary.size() - 1)));
      return this;
    }

    /** A goal of the last summary row in words, for one that is not a bound (not checked). */
    public Section goal(String goal) {
      lastRow("goal").put("goal", goal);
      return this;
    }

    /**
     * A stable key for the last summary row, matching it with the previous report's row even when
     * its measurement text (which may name sizes) changes; without one, rows match by section id
     * and measurement text.
     */
    public Section key(String key) {
      lastRow("key").put("key", key);
      return this;
    }

    /** The summary rows so far. */
    List<Map<String, Object>> summaryRows() {
      return List.copyOf(summary);
    }

    private Map<String, Object> lastRow(String what) {
      if (summary.isEmpty()) {
        throw new IllegalStateException(
            what + "(...) applies to the last summary(...) row: none yet");
      }
      return summary.get(summary.size() - 1);
    }

    /**
     * A row of the warehouse-calls table (item 3): calls we make, the floor, and what per-table
     * reads would make (null where not meaningful).
     */
    public Section calls(String what, long ours, long floor, Long perTable) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("what", what);
      row.put("calls", ours);
      row.put("floor", floor);
      row.put("per_table_reads", perTable);
      calls.add(row);
      return this;
    }

    /** Lines of Markdown (tables, notes) shown under the section's method. */
    public Section lines(List<String> lines) {
      body.addAll(lines);
      return this;
    }

    public Section line(String line) {
      body.add(line);
      return this;
    }

    /** Writes the result, prints it and re-assembles the report. */
    public void write() {
      data.put("measured_at", Instant.now().toString());
      data.put("machine", machine());
      data.put("parameters", parameters);
      data.put("figures", figures);
      data.put("ratios", ratios);
      data.put("summary", summary);
      data.put("calls", calls);
      data.put("body", body);
      String md = markdown(data);
      System.out.println(md);
      try {
        Files.createDirectories(RESULTS);
        Files.writeString(DIR.resolve(data.get("id") + ".md"), md);
        JSON.writeValue(RESULTS.resolve(data.get("id") + ".json").toFile(), data);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      assemble();
    }
  }

  @SuppressWarnings("unchecked")
  private static String markdown(Map<String, Object> s) {
    StringBuilder md = new StringBuilder();
    md.append("## ").append(s.get("title")).append("\n\n");
    md.append("Method: ").append(s.get("method")).append("\n\n");
    Map<String, Object> params = (Map<String, Object>) s.get("parameters");
    if (!params.isEmpty()) {
      md.append("Parameters: ");
      List<String> p = new ArrayList<>();
      params.forEach((k, v) -> p.add("`" + k + "` = " + fmt(v)));
      md.append(String.join(", ", p)).append("\n\n");
    }
    md.append("Machine: ")
        .append(machineLine((Map<String, Object>) s.get("machine")))
        .append(". Measured ")
        .append(s.get("measured_at"))
        .append(".\n\n");
    ((List<String>) s.get("body")).forEach(l -> md.append(l).append("\n"));
    Map<String, Object> ratios = (Map<String, Object>) s.get("ratios");
    if (!ratios.isEmpty()) {
      md.append("\nRatios: ");
      List<String> r = new ArrayList<>();
      ratios.forEach((k, v) -> r.add("`" + k + "` = " + fmt(v)));
      md.append(String.join(", ", r)).append("\n");
    }
    return md.toString();
  }

  private static int rank(String id) {
    int i = ORDER.indexOf(id);
    return i < 0 ? ORDER.size() : i;
  }

  /** Reads every result in {@code target/bench/results/} and writes report.md and report.json. */
  @SuppressWarnings("unchecked")
  public static synchronized void assemble() {
    List<Map<String, Object>> sections = new ArrayList<>();
    try (Stream<Path> files = Files.list(RESULTS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        sections.add(JSON.readValue(f.toFile(), new TypeReference<Map<String, Object>>() {}));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sections.sort(
        Comparator.comparingInt((Map<String, Object> s) -> rank((String) s.get("id")))
            .thenComparing(s -> (String) s.get("id")));

    PreviousReport previous = PreviousReport.load();
    List<Map<String, Object>> summary = SummaryTable.rows(sections, previous);
    List<Map<String, Object>> calls = new ArrayList<>();
    for (Map<String, Object> s : sections) {
      for (Map<String, Object> row : (List<Map<String, Object>>) s.get("calls")) {
        Map<String, Object> r = new LinkedHashMap<>(row);
        r.put("benchmark", s.get("id"));
        calls.add(r);
      }
    }

    StringBuilder md = new StringBuilder();
    md.append("# Benchmark report\n\n");
    md.append(
        "Written by `./mvnw -Pbench verify` (every benchmark of the profile, then this report"
            + " assembled from `target/bench/results/*.json`; the same numbers are in"
            + " `report.json`). Each benchmark measures our way and its baseline side by side in"
            + " the same run. No figure here is a test assertion.\n\n");
    md.append("Machine: ").append(machineLine(machine())).append(" (when assembled).\n\n");
    md.append(SummaryTable.markdown(summary, previous));
    if (!calls.isEmpty()) {
      md.append("## 3. Warehouse calls against the floor and per-table reads\n\n");
      md.append(
          "Calls at the warehouse port (one snapshot of any number of datasets is one call)."
              + " Floor: the fewest calls the job can make (one snapshot to know what exists, one"
              + " call per object to create; for a drift check one central snapshot, one profile"
              + " read, one listing and one snapshot per chunk of orgs so memory stays flat)."
              + " Per-table reads: what reading each dataset object by object costs (datasets.get"
              + " + tables.list + one tables.get per table or view, as BigQuery's API needs"
              + " without INFORMATION_SCHEMA), counted in the BigQuery benchmark below.\n\n");
      md.append("| what | calls | floor | calls / floor | per-table reads | per-table / ours |\n");
      md.append("|---|---|---|---|---|---|\n");
      for (Map<String, Object> r : calls) {
        long ours = ((Number) r.get("calls")).longValue();
        long floor = ((Number) r.get("floor")).longValue();
        Number per = (Number) r.get("per_table_reads");
        md.append(
            String.format(
                "| %s | %s | %s | %s | %s | %s |%n",
                r.get("what"),
                fmt(ours),
                fmt(floor),
                floor == 0 ? "–" : fmt(round((double) ours / floor)),
                per == null ? "–" : fmt(per),
                per == null || ours == 0 ? "–" : fmt(round(per.doubleValue() / ours))));
      }
      md.append("\n");
    }
    for (Map<String, Object> s : sections) {
      md.append("<a id=\"").append(s.get("id")).append("\"></a>\n\n");
      md.append(markdown(s)).append("\n");
    }

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("assembled_at", Instant.now().toString());
    json.put("machine", machine());
    json.put("previous_report", previous.describe());
    json.put("summary", summary);
    json.put("warehouse_calls", calls);
    json.put("benchmarks", sections);
    try {
      Files.writeString(DIR.resolve("report.md"), md.toString());
      JSON.writeValue(DIR.resolve("report.json").toFile(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
