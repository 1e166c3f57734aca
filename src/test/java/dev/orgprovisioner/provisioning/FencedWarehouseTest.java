package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.JobFence;
import dev.orgprovisioner.execution.JobLease;
import dev.orgprovisioner.execution.Lease;
import dev.orgprovisioner.execution.port.StepLog.LeaseLostException;
import dev.orgprovisioner.testing.FaultyWarehouse;
import dev.orgprovisioner.testing.ManualClock;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every warehouse write of a job checks its lease first; reads and writes outside jobs do not. */
class FencedWarehouseTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final ManualClock clock = new ManualClock(T0);
  private final DuckDbWarehouse duck = new DuckDbWarehouse(":memory:");
  private final FaultyWarehouse counted = new FaultyWarehouse(duck);
  private final FencedWarehouse fenced = new FencedWarehouse(counted, clock);

  @AfterEach
  void close() {
    duck.close();
  }

  private static JobLease lease(Duration left, Duration runTime) {
    return new JobLease(
        new Lease("job-1", "w1", 1),
        CommandType.SYNC,
        "acme",
        T0.plus(left),
        Duration.ofSeconds(10),
        T0.plus(runTime));
  }

  private void write() {
    fenced.insertRows("d", "t", List.of(Map.of("id", 1L)));
  }

  @Test
  void writeUnderALeaseWithTooLittleLeft_stopsBeforeReachingTheWarehouse() {
    JobLease almostGone = lease(Duration.ofSeconds(5), Duration.ofMinutes(5));

    assertThatThrownBy(
            () ->
                JobFence.under(
                    almostGone,
                    () -> {
                      write();
                      return null;
                    }))
        .isInstanceOf(LeaseLostException.class);
    assertThat(counted.calls.get()).isZero();
  }

  @Test
  void writeOfAJobWhoseRunningTimeIsUp_failsTransientlyWithJobTimedOut() {
    JobLease timedOut = lease(Duration.ofMinutes(1), Duration.ZERO);

    assertThatThrownBy(
            () ->
                JobFence.under(
                    timedOut,
                    () -> {
                      write();
                      return null;
                    }))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> {
              assertThat(e.error().code()).isEqualTo("JOB_TIMED_OUT");
              assertThat(e.error().transientFailure()).isTrue();
            });
  }

  @Test
  void readsUnderALostLease_andCallsOutsideJobs_passUnchecked() {
    JobLease lost = lease(Duration.ofSeconds(5), Duration.ofMinutes(5));

    assertThatCode(() -> JobFence.under(lost, () -> fenced.bulkSnapshot(List.of("nothing_here"))))
        .doesNotThrowAnyException();
    int before = counted.calls.get();
    // Outside a job nothing is checked: the call reaches DuckDB (which knows no such table).
    assertThatThrownBy(this::write).isNotInstanceOf(LeaseLostException.class);
    assertThat(counted.calls.get()).isEqualTo(before + 1);
  }

  @Test
  void wholePlanUnderALostLease_stopsBeforeReachingTheWarehouse() {
    JobLease almostGone = lease(Duration.ofSeconds(5), Duration.ofMinutes(5));

    assertThatThrownBy(
            () ->
                JobFence.under(
                    almostGone,
                    () -> {
                      fenced.applyAll(
                          List.of(
                              new dev.orgprovisioner.plan.PlanStep.CreateDataset(
                                  "d", "EU", null, Map.of())));
                      return null;
                    }))
        .isInstanceOf(LeaseLostException.class);
    assertThat(counted.calls.get()).isZero();
  }
}
