package dev.orgprovisioner.execution;

import dev.orgprovisioner.command.Rejection;
import java.util.Map;

/** What the intake decided for one message; the messaging adapter carries it out, then acks. */
public sealed interface IntakeDecision {

  /** A new job: run it now if it is leased to us, else it waits for its org. */
  record Enqueued(Job job) implements IntakeDecision {}

  /** A duplicate of a command still running: nothing to do. */
  record AlreadyInFlight(String jobId) implements IntakeDecision {}

  /** A duplicate of a finished command: publish its stored terminal event again. */
  record Republish(OutboxEvent event) implements IntakeDecision {}

  /**
   * An invalid command: publish the original to the DLQ with these attributes, publish the rejected
   * event, and only then ack.
   */
  record Reject(Rejection rejection, Map<String, String> deadLetterAttributes, OutboxEvent event)
      implements IntakeDecision {}
}
