package dev.orgprovisioner.execution.simulation;

import java.time.Instant;

/**
 * One warehouse call as the checker sees it: who made it, under which epoch, on which org, and when
 * it started (its end is known when it returns, or bounded by the call timeout).
 */
record WarehouseCall(
    long seq, String instance, String jobId, long epoch, String org, String op, Instant start) {

  @Override
  public String toString() {
    return "#"
        + seq
        + " "
        + op
        + " on "
        + org
        + " by job "
        + jobId
        + "@"
        + epoch
        + " ("
        + instance
        + ")";
  }
}
