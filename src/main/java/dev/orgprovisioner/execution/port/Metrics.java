package dev.orgprovisioner.execution.port;

import dev.orgprovisioner.command.CommandType;
import java.time.Duration;

/**
 * Port for operational counters and timings; the application puts Micrometer behind it, tests and
 * tools use {@link #NONE}. Every method is cheap and never throws.
 */
public interface Metrics {

  /** Records nothing. */
  Metrics NONE = new Metrics() {};

  /** Outcomes of command messages. */
  enum MessageOutcome {
    RECEIVED,
    ACKED,
    NACKED,
    REJECTED
  }

  /** A command message was received, acked, nacked or rejected (invalid, dead-lettered). */
  default void message(MessageOutcome outcome) {}

  /**
   * A job entered a state on this instance: RUNNING (a run started), SUCCEEDED, FAILED, QUEUED (a
   * retry was scheduled) or RELEASED (handed back at shutdown).
   */
  default void job(CommandType type, String state) {}

  /** A run of a job ended (succeeded, failed, or scheduled for a retry) after this long. */
  default void jobDuration(CommandType type, String outcome, Duration duration) {}

  /** A job failed transiently and was scheduled for another attempt. */
  default void jobRetry(CommandType type) {}

  /** A message was published to the dead-letter topic, with its rejection code as reason. */
  default void deadLetter(String reason) {}

  /** A notification was sent or failed (status e.g. sent, failed, skipped) on a channel. */
  default void notification(String channel, String status) {}

  /**
   * Rows of the audit trail and notification history waiting in the spool for the warehouse (grows
   * during a warehouse outage, drains after it).
   */
  default void auditBacklog(long rows) {}
}
