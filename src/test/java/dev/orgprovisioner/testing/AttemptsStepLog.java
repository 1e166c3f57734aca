package dev.orgprovisioner.testing;

import dev.orgprovisioner.execution.port.StepLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job's step log that keeps completed steps and facts across attempts, as the ledger does, and
 * can make an attempt die (lease lost) at its n-th lease check: the worker stopping mid-step.
 */
public final class AttemptsStepLog implements StepLog {

  private final List<String> done = new ArrayList<>();
  private final Map<String, String> facts = new HashMap<>();
  private int leaseChecks;
  private int dieAtCheck = -1;
  private int attempts;

  /** Starts the next attempt: steps and facts stay; the attempt dies at its n-th check (n > 0). */
  public AttemptsStepLog nextAttempt(int dieAtCheck) {
    attempts++;
    leaseChecks = 0;
    this.dieAtCheck = dieAtCheck;
    return this;
  }

  /** Starts the next attempt, which lives to the end. */
  public AttemptsStepLog nextAttempt() {
    return nextAttempt(-1);
  }

  public int attempts() {
    return attempts;
  }

  /** Lease checks of the current attempt so far. */
  public int leaseChecks() {
    return leaseChecks;
  }

  public List<String> completedSteps() {
    return List.copyOf(done);
  }

  @Override
  public boolean isDone(String step) {
    return done.contains(step);
  }

  @Override
  public void completed(String step) {
    done.add(step);
  }

  @Override
  public void checkLease() {
    leaseChecks++;
    if (leaseChecks == dieAtCheck) {
      throw new LeaseLostException("attempt " + attempts);
    }
  }

  @Override
  public Optional<String> fact(String name) {
    return Optional.ofNullable(facts.get(name));
  }

  @Override
  public String remember(String name, String value) {
    return facts.computeIfAbsent(name, n -> value);
  }
}
