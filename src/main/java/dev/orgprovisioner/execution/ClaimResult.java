package dev.orgprovisioner.execution;

/** What the idempotency claim of a command found and did. */
public sealed interface ClaimResult {

  /** New key: a job was created (RUNNING and leased to the claimer when its org was free). */
  record Claimed(Job job) implements ClaimResult {}

  /** Same key and payload, job not finished: the running job will answer. */
  record InFlight(String jobId) implements ClaimResult {}

  /** Same key and payload, job finished: its stored terminal event is the answer. */
  record Finished(String jobId, OutboxEvent terminalEvent) implements ClaimResult {}

  /** Same key, different payload: the key is being reused for something else. */
  record Conflict(String jobId) implements ClaimResult {}
}
