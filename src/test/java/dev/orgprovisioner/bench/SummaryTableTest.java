package dev.orgprovisioner.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryTableTest {

  @TempDir Path dir;

  private static final String PREVIOUS =
      """
      {
        "assembled_at": "2026-11-25T16:49:32Z",
        "summary": [
          {"item": "1", "what": "intake throughput (commands/s) vs ack-only subscriber",
           "ours": 626, "baseline": 1660, "ratio": 0.38, "benchmark": "intake-throughput"},
          {"item": "4", "what": "drift check of 1000 orgs: duration (ms)", "key": "drift/duration",
           "ours": 4000, "baseline": 400, "ratio": 10.0, "benchmark": "drift-check"},
          {"item": "5", "what": "worker start-up to ready (ms)",
           "ours": 6761, "baseline": null, "ratio": null, "benchmark": "worker-startup"}
        ],
        "benchmarks": [
          {"id": "intake-throughput", "machine": {"load_average_1m": 4.59}},
          {"id": "drift-check", "machine": {"load_average_1m": 1.34}},
          {"id": "worker-startup", "machine": {"load_average_1m": 2.61}}
        ]
      }
      """;

  private PreviousReport previous() throws IOException {
    Path file = dir.resolve("report.json");
    Files.writeString(file, PREVIOUS);
    return PreviousReport.load(file);
  }

  private static Map<String, Object> section(String id, double load, BenchReport.Section built) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("id", id);
    s.put("machine", Map.of("load_average_1m", load));
    s.put("summary", built.summaryRows());
    return s;
  }

  @Test
  @SuppressWarnings("unchecked")
  void rowsCarryThePreviousFiguresAndLoadOfTheSameMeasurement() throws Exception {
    var intake =
        BenchReport.section("intake-throughput", "intake")
            .summary(
                "17.3",
                "intake throughput (commands/s) vs ack-only subscriber",
                1252L,
                1780L,
                0.7034,
                Goal.ratioAtLeast(0.5));
    var drift =
        BenchReport.section("drift-check", "drift")
            .summary("4", "drift check of 2000 orgs: duration (ms)", 5000L, 500L, 10.0)
            .key("drift/duration");

    List<Map<String, Object>> rows =
        SummaryTable.rows(
            List.of(section("intake-throughput", 1.5, intake), section("drift-check", 0.9, drift)),
            previous());

    assertThat(rows).extracting(r -> r.get("item")).containsExactly("4", "17.3");
    Map<String, Object> intakeRow = rows.get(1);
    assertThat(intakeRow)
        .containsEntry("goal", "ratio ≥ 0.5")
        .containsEntry("goal_met", true)
        .containsEntry("load_average_1m", 1.5);
    assertThat((Map<String, Object>) intakeRow.get("previous"))
        .containsEntry("ours", 626)
        .containsEntry("ratio", 0.38)
        .containsEntry("load_average_1m", 4.59);
    assertThat((Map<String, Object>) rows.get(0).get("previous"))
        .as("matched by its key although the measurement names another size")
        .containsEntry("ours", 4000);
  }

  @Test
  void tableShowsGoalPreviousAndLoadAndListsPreviousRowsNotMeasured() throws Exception {
    var intake =
        BenchReport.section("intake-throughput", "intake")
            .summary(
                "17.3",
                "intake throughput (commands/s) vs ack-only subscriber",
                700L,
                1780L,
                0.3933)
            .goal(Goal.ratioAtLeast(0.5));
    PreviousReport previous = previous();
    List<Map<String, Object>> rows =
        SummaryTable.rows(List.of(section("intake-throughput", 1.5, intake)), previous);

    String md = SummaryTable.markdown(rows, previous);

    assertThat(md)
        .contains(
            "| 17.3 | intake throughput (commands/s) vs ack-only subscriber | 700 | 1,780 | 0.39"
                + " | ratio ≥ 0.5: **not met** | 626 / 1,660 / 0.38 | 1.50 / 4.59 |")
        .contains("assembled 2026-11-25T16:49:32Z")
        .contains("| 5 | worker start-up to ready (ms) | 6,761 / – / – | 2.61 | worker-startup |")
        .contains("| 4 | drift check of 1000 orgs: duration (ms) |");
  }

  @Test
  void goalIsCheckedAgainstTheUnroundedRatio() {
    var section =
        BenchReport.section("x", "x")
            .summary("17.1", "flat", 1L, 1L, 1.204)
            .goal(Goal.ratioAtMost(1.2))
            .summary("17.2", "start-up (ms)", 1900L, null, null)
            .goal(Goal.oursAtMost(2000));

    assertThat(section.summaryRows())
        .extracting(r -> r.get("ratio"), r -> r.get("goal"), r -> r.get("goal_met"))
        .containsExactly(tuple(1.2, "ratio ≤ 1.2", false), tuple(null, "≤ 2,000", true));
    assertThat(Goal.ratioAtLeast(0.5).met("≥ 12", null))
        .as("a bound on a figure that is not a number")
        .isNull();
  }

  @Test
  void noPreviousReportLeavesThePreviousColumnEmpty() {
    PreviousReport none = PreviousReport.load(dir.resolve("missing.json"));

    assertThat(none.present()).isFalse();
    assertThat(none.describe()).contains("none");
    assertThat(none.unmatched(List.of())).isEmpty();
  }
}
