package dev.orgprovisioner.plan;

/** How a difference between catalog and warehouse is handled. */
public enum Classification {
  /** The plan fixes it by adding or relaxing; nothing existing is lost. */
  ADDITIVE,
  /** Reported, never fixed automatically: fixing it would drop, retype or recreate. */
  NON_ADDITIVE,
  /** Something extra in the warehouse; harmless and left alone. */
  INFORMATIONAL
}
