package dev.orgprovisioner.execution.port;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.ClaimResult;
import java.time.Instant;
import java.util.List;

/** Port: the idempotency keys of accepted commands, claimed together with the jobs they create. */
public interface IdempotencyKeys {

  /**
   * Claims each command's idempotency key and, for a new key, creates its job QUEUED and due now —
   * all in one transaction, decided in order as if claimed one after another. No job is leased
   * here: a worker with a free slot claims it from the {@link JobQueue}.
   */
  List<ClaimResult> claimAll(List<CommandEnvelope> envelopes, Instant now);

  /** {@link #claimAll} for one command. */
  default ClaimResult claim(CommandEnvelope envelope, Instant now) {
    return claimAll(List.of(envelope), now).get(0);
  }
}
