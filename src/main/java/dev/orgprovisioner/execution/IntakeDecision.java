package dev.orgprovisioner.execution;

import dev.orgprovisioner.command.Rejection;

/** What the intake decided for one message; the messaging adapter carries it out, then acks. */
public sealed interface IntakeDecision {

  /** A new job, already handed to the worker pool. */
  record Enqueued(Job job) implements IntakeDecision {}

  /** A duplicate of a command still running: nothing to do. */
  record AlreadyInFlight(String jobId) implements IntakeDecision {}

  /** A duplicate of a finished command: publish its stored terminal event again. */
  record Republish(String jobId, OutboxEvent event) implements IntakeDecision {}

  /**
   * An invalid command: the adapter dead-letters the original (building the DLQ attributes within
   * Pub/Sub's limits), publishes the rejected event, and only then acks.
   */
  record Reject(Rejection rejection, OutboxEvent event) implements IntakeDecision {}
}
