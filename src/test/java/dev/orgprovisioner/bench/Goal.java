package dev.orgprovisioner.bench;

import java.util.Locale;

/**
 * A goal the issue sets for one summary row: a bound on the row's ratio or on its own figure,
 * checked against the figures of the same run.
 */
public record Goal(Figure on, boolean atLeast, double bound) {

  /** Which figure of the summary row the bound applies to. */
  public enum Figure {
    RATIO,
    OURS
  }

  public static Goal ratioAtLeast(double bound) {
    return new Goal(Figure.RATIO, true, bound);
  }

  public static Goal ratioAtMost(double bound) {
    return new Goal(Figure.RATIO, false, bound);
  }

  public static Goal oursAtLeast(double bound) {
    return new Goal(Figure.OURS, true, bound);
  }

  public static Goal oursAtMost(double bound) {
    return new Goal(Figure.OURS, false, bound);
  }

  /** How the report shows the goal, e.g. {@code ratio ≥ 0.5} or {@code ≤ 2,000}. */
  public String text() {
    String value =
        bound == Math.rint(bound)
            ? String.format(Locale.ROOT, "%,d", (long) bound)
            : String.format(Locale.ROOT, "%s", bound);
    return (on == Figure.RATIO ? "ratio " : "") + (atLeast ? "≥ " : "≤ ") + value;
  }

  /** Whether the figure meets the bound; null when the figure is missing or not a number. */
  public Boolean met(Object ours, Object ratio) {
    Object figure = on == Figure.RATIO ? ratio : ours;
    if (!(figure instanceof Number n)) {
      return null;
    }
    return atLeast ? n.doubleValue() >= bound : n.doubleValue() <= bound;
  }
}
