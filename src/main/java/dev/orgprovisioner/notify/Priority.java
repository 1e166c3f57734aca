package dev.orgprovisioner.notify;

import java.util.Locale;

/** Severity of an event or a rule, lowest first, so rules can route "this priority and above". */
public enum Priority {
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  /** Parses {@code low|medium|high|critical} in any case; names the field on bad input. */
  public static Priority parse(String value, String field) {
    try {
      return Priority.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          field + ": '" + value + "' is not one of low, medium, high, critical");
    }
  }

  /**
   * The priority of an event type: failures are high, drift and rejected commands medium,
   * everything else (successes, summaries) low.
   */
  public static Priority ofEventType(String type) {
    if (type.endsWith(".failed")) {
      return HIGH;
    }
    if (type.equals("drift.detected") || type.equals("command.rejected")) {
      return MEDIUM;
    }
    return LOW;
  }

  public String lower() {
    return name().toLowerCase(Locale.ROOT);
  }
}
