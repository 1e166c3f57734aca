package dev.orgprovisioner.live;

import dev.orgprovisioner.live.CallMeter.StepCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The outcome of a live check, step by step, and the table it prints. */
record LiveCheckReport(LiveTarget target, List<StepResult> steps) {

  /** How a step ended. */
  enum Outcome {
    OK,
    FAILED,
    NOT_RUN
  }

  /**
   * One step: what it did (or why it failed), its wall-clock time, its BigQuery calls and the
   * warehouse calls the worker's retry policy repeated.
   */
  record StepResult(
      String name, Outcome outcome, String detail, Duration latency, StepCalls calls, int retries) {

    static StepResult notRun(String name) {
      return new StepResult(
          name, Outcome.NOT_RUN, "an earlier step failed", Duration.ZERO, StepCalls.NONE, 0);
    }

    boolean ok() {
      return outcome == Outcome.OK;
    }
  }

  LiveCheckReport {
    steps = List.copyOf(steps);
  }

  boolean passed() {
    return steps.stream().allMatch(StepResult::ok);
  }

  /** The per-step table, the API calls of each step by method, and the totals. */
  String table() {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {"step", "result", "latency", "calls", "jobs", "bytes billed", "retries"});
    StepCalls total = StepCalls.NONE;
    Duration time = Duration.ZERO;
    int retries = 0;
    for (StepResult s : steps) {
      rows.add(row(s.name(), s.outcome(), s.latency(), s.calls(), s.retries()));
      total = total.plus(s.calls());
      time = time.plus(s.latency());
      retries += s.retries();
    }
    rows.add(row("total", passed() ? Outcome.OK : Outcome.FAILED, time, total, retries));
    StringBuilder out = new StringBuilder();
    int[] widths = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        // Names and results left-aligned, figures right-aligned.
        String cell = i < 2 ? pad(r[i], widths[i], false) : pad(r[i], widths[i], true);
        line.append(cell).append(i < r.length - 1 ? "  " : "");
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    out.append('\n');
    for (StepResult s : steps) {
      out.append(s.name()).append(": ").append(s.detail()).append('\n');
      if (s.calls().calls() > 0) {
        out.append("  calls: ")
            .append(
                s.calls().byKind().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")))
            .append('\n');
      }
    }
    if (total.jobsWithoutBytes() > 0) {
      out.append('\n')
          .append(total.jobsWithoutBytes())
          .append(" of ")
          .append(total.jobs())
          .append(" query jobs reported no bytes billed; they count as 0 above.\n");
    }
    return out.toString();
  }

  private static String[] row(
      String name, Outcome outcome, Duration latency, StepCalls calls, int retries) {
    boolean ran = outcome != Outcome.NOT_RUN;
    return new String[] {
      name,
      outcome.name().toLowerCase(Locale.ROOT).replace('_', ' '),
      ran ? String.format(Locale.ROOT, "%,d ms", latency.toMillis()) : "-",
      ran ? String.valueOf(calls.calls()) : "-",
      ran ? String.valueOf(calls.jobs()) : "-",
      ran ? String.format(Locale.ROOT, "%,d", calls.bytesBilled()) : "-",
      ran ? String.valueOf(retries) : "-"
    };
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(width - s.length());
    return right ? fill + s : s + fill;
  }
}
