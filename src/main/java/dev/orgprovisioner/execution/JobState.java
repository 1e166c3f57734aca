package dev.orgprovisioner.execution;

/** Lifecycle of a job: QUEUED → RUNNING → SUCCEEDED | FAILED (RUNNING → QUEUED on retry). */
public enum JobState {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED;
  }
}
