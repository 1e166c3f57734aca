package dev.orgprovisioner.execution.port;

import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobResult;

/**
 * Port to the use cases: runs one job to its end. Throws {@link JobFailedException} for a
 * classified failure; any other exception is treated as transient and retried within budget.
 */
public interface JobRunner {

  JobResult run(Job job, StepLog steps);

  /** The event type that reports a failed job of this command type. */
  String failureEventType(CommandType type);
}
