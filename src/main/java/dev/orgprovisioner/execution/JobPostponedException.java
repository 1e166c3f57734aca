package dev.orgprovisioner.execution;

import java.time.Instant;

/**
 * Thrown by a runner whose job has nothing to do until {@code until} (a roll-out waiting for its
 * wave or its bake time): the job goes back to the queue due then, its attempt given back, so it
 * holds no lock while it waits and any instance resumes it.
 */
public final class JobPostponedException extends RuntimeException {

  private final transient Instant until;

  public JobPostponedException(Instant until, String why) {
    super(why, null, false, false);
    this.until = until;
  }

  public Instant until() {
    return until;
  }
}
