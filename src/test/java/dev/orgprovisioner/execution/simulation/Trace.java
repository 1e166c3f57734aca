package dev.orgprovisioner.execution.simulation;

import java.util.ArrayList;
import java.util.List;

/** What a schedule did, line by line, indented by nesting depth; recorded only when asked. */
final class Trace {

  private final boolean enabled;
  private final VirtualClock clock;
  private final List<String> lines = new ArrayList<>();

  Trace(boolean enabled, VirtualClock clock) {
    this.enabled = enabled;
    this.clock = clock;
  }

  boolean enabled() {
    return enabled;
  }

  void add(int depth, String line) {
    if (enabled) {
      lines.add(clock.label(clock.instant()) + " " + "  ".repeat(depth) + line);
    }
  }

  /** {@link #add} for lines that cost something to build. */
  void add(int depth, java.util.function.Supplier<String> line) {
    if (enabled) {
      add(depth, line.get());
    }
  }

  List<String> lines() {
    return List.copyOf(lines);
  }
}
