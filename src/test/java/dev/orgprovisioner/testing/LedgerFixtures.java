package dev.orgprovisioner.testing;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.Ledger;
import java.time.Instant;
import java.util.Map;

/** Putting jobs into a ledger the way the intake and a worker would. */
public final class LedgerFixtures {

  private LedgerFixtures() {}

  /** Accepts a command (claims its key): its job, QUEUED. */
  public static Job accept(Ledger ledger, CommandEnvelope envelope, Instant now) {
    ClaimResult result = ledger.claim(envelope, now);
    if (result instanceof ClaimResult.Claimed c) {
      return c.job();
    }
    throw new AssertionError("expected a new job for " + envelope.scope() + ", got " + result);
  }

  /** Accepts a command and claims its job for {@code owner}, as a worker with a free slot does. */
  public static Job acceptAndLease(
      Ledger ledger, CommandEnvelope envelope, String owner, Instant now) {
    Job job = accept(ledger, envelope, now);
    return ledger
        .claim(job.id(), owner, now)
        .orElseThrow(() -> new AssertionError("could not claim job " + job.id()));
  }

  /** An unpublished event as a job's end or a drift check stores it. */
  public static OutboxEvent event(String id, String orderingKey, Instant createdAt) {
    return new OutboxEvent(
        id,
        "org.onboarded",
        orderingKey,
        Map.of("ce-id", id),
        "{\"id\":\"" + id + "\"}",
        createdAt,
        false);
  }
}
