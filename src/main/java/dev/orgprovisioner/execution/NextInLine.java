package dev.orgprovisioner.execution;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Which of one lock key's (one org's) open jobs runs next, so an org's commands keep their order.
 */
public final class NextInLine {

  /** Claims across orgs: best priority (1) first, then oldest, then id. */
  public static final Comparator<Job> CLAIM_ORDER =
      Comparator.comparingInt(Job::priority).thenComparing(Job::createdAt).thenComparing(Job::id);

  /**
   * One key's line: oldest first, then id. Priority does not reorder one org's commands (a restore
   * must not overtake the offboarding it undoes); it only ranks orgs against each other.
   */
  public static final Comparator<Job> ARRIVAL_ORDER =
      Comparator.comparing(Job::createdAt).thenComparing(Job::id);

  private NextInLine() {}

  /**
   * The job to claim among the QUEUED and RUNNING jobs of one lock key at {@code now}, or empty
   * when none may run yet. A started job whose lease lapsed comes first, and one still leased holds
   * the key. Then the QUEUED jobs in {@link #ARRIVAL_ORDER}: the first due one runs; one waiting
   * for its retry holds back every job behind it (a key rotation must not overtake the onboarding
   * it depends on); one scheduled for later and never tried (a durable timer) holds back nothing.
   */
  public static Optional<Job> of(Collection<Job> openJobsOfOneKey, Instant now) {
    Job lapsed = null;
    for (Job job : openJobsOfOneKey) {
      if (job.state() == JobState.RUNNING) {
        if (!job.isClaimable(now)) {
          return Optional.empty();
        }
        lapsed = lapsed == null || ARRIVAL_ORDER.compare(job, lapsed) < 0 ? job : lapsed;
      }
    }
    if (lapsed != null) {
      return Optional.of(lapsed);
    }
    for (Job job : openJobsOfOneKey.stream().sorted(ARRIVAL_ORDER).toList()) {
      if (job.state() != JobState.QUEUED) {
        continue;
      }
      if (job.isClaimable(now)) {
        return Optional.of(job);
      }
      if (job.attempts() > 0) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
