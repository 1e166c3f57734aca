package dev.orgprovisioner.testing;

import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.ExecutionSettings;
import dev.orgprovisioner.execution.JobExecution;
import dev.orgprovisioner.execution.OutboxRelay;
import dev.orgprovisioner.execution.WorkerPool;
import dev.orgprovisioner.execution.port.AuditTrail;
import dev.orgprovisioner.execution.port.JobLogContext;
import dev.orgprovisioner.execution.port.JobQueue;
import dev.orgprovisioner.execution.port.JobRunner;
import dev.orgprovisioner.execution.port.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

/** Worker pools wired by hand, as the application wires them. */
public final class PoolFixtures {

  private PoolFixtures() {}

  /** Settings for tests: fast sweeps and retries, a 1 s lease margin. */
  public static ExecutionSettings settings(int workers, int maxAttempts) {
    return new ExecutionSettings(
        workers,
        maxAttempts,
        Duration.ofMillis(20),
        Duration.ofMillis(200),
        Duration.ofMillis(200),
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        Duration.ofMinutes(5));
  }

  /** A pool (not started) running {@code runner}'s jobs from {@code queue}. */
  public static WorkerPool pool(
      JobQueue queue,
      JobRunner runner,
      OutboxRelay relay,
      AuditTrail audit,
      ExecutionSettings settings,
      String owner,
      Clock clock) {
    JobExecution execution =
        new JobExecution(
            new JobExecution.Parts(
                queue,
                runner,
                new EventFactory("//org-provisioner/test"),
                relay,
                audit,
                Metrics.NONE,
                JobLogContext.NONE,
                clock,
                JobExecution.Sleeper.REAL,
                new Random()),
            settings);
    return new WorkerPool(queue, execution, relay, settings, owner, clock);
  }
}
