package dev.orgprovisioner.execution.simulation;

/**
 * A broken invariant: its letter in docs/execution-simulation.md and what was seen.
 *
 * @param invariant a..e
 */
record Violation(char invariant, String message) {

  @Override
  public String toString() {
    return "(" + invariant + ") " + message;
  }

  /** Thrown where the violation is seen; unwinds the whole schedule (the core catches no Error). */
  static final class Found extends Error {

    private final Violation violation;

    Found(Violation violation) {
      super(violation.toString(), null, false, false);
      this.violation = violation;
    }

    Violation violation() {
      return violation;
    }
  }
}
