package dev.orgprovisioner.execution;

import static dev.orgprovisioner.testing.Envelopes.dueAt;
import static dev.orgprovisioner.testing.Envelopes.onboard;
import static dev.orgprovisioner.testing.Envelopes.withPriority;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NextInLineTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private static Job queued(String id, int priority, long createdSecond) {
    return Job.accepted(
        id, withPriority(onboard("acme", id), priority), id, T0.plusSeconds(createdSecond));
  }

  private static Job running(Job job, Instant leaseUntil) {
    return job.inState(JobState.RUNNING, 1, 1, job.nextAttemptAt(), "w", leaseUntil, T0);
  }

  private static Job waitingForRetry(Job job, Instant due) {
    return job.inState(JobState.QUEUED, 1, 1, due, null, null, T0);
  }

  @Test
  void theOldestRunsFirst_whateverItsPriority() {
    Job oldSync = queued("a", 2, 0);
    Job newOnboarding = queued("b", 1, 5);

    assertThat(NextInLine.of(List.of(newOnboarding, oldSync), T0.plusSeconds(10)))
        .contains(oldSync);
  }

  @Test
  void jobsAcceptedAtTheSameInstant_goByTheirId() {
    Job b = queued("b", 1, 0);
    Job a = queued("a", 2, 0);

    assertThat(NextInLine.of(List.of(b, a), T0)).contains(a);
  }

  @Test
  void aLiveLease_holdsTheKey_andALapsedOneIsResumedFirst() {
    Job started = running(queued("a", 2, 0), T0.plusSeconds(60));
    Job waiting = queued("b", 1, 1);

    assertThat(NextInLine.of(List.of(waiting, started), T0.plusSeconds(59))).isEmpty();
    assertThat(NextInLine.of(List.of(waiting, started), T0.plusSeconds(60))).contains(started);
  }

  @Test
  void aRetryNotYetDue_holdsBackTheJobsBehindIt_evenUrgentOnes_butNotTheOnesAhead() {
    Job ahead = queued("a", 2, 0);
    Job retry = waitingForRetry(queued("b", 2, 1), T0.plusSeconds(100));
    Job behind = queued("c", 1, 2);

    assertThat(NextInLine.of(List.of(retry, behind), T0.plusSeconds(50))).isEmpty();
    assertThat(NextInLine.of(List.of(retry, behind, ahead), T0.plusSeconds(50))).contains(ahead);
    assertThat(NextInLine.of(List.of(retry, behind), T0.plusSeconds(100))).contains(retry);
  }

  @Test
  void aTimerNeverTried_holdsBackNothing() {
    Job timer = Job.accepted("t", dueAt(onboard("acme", "t"), T0.plusSeconds(1000)), "t", T0);
    Job later = queued("b", 1, 1);

    assertThat(NextInLine.of(List.of(timer, later), T0.plusSeconds(2))).contains(later);
    assertThat(NextInLine.of(List.of(timer), T0.plusSeconds(1000))).contains(timer);
  }

  @Test
  void finishedJobs_andNoJobs_giveNothing() {
    Job done = queued("a", 1, 0).inState(JobState.SUCCEEDED, 1, 1, null, null, null, T0);

    assertThat(NextInLine.of(List.of(done), T0)).isEmpty();
    assertThat(NextInLine.of(List.of(), T0)).isEmpty();
  }
}
