package dev.orgprovisioner.ledger;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.port.Ledger;
import org.junit.jupiter.api.BeforeEach;

/**
 * The behaviour every {@link Ledger} adapter must have, part by part in the {@code *Contract}
 * interfaces. Each adapter's test extends this class and supplies a fresh ledger per test; the same
 * assertions then hold for Firestore and for the in-memory ledger.
 */
public abstract class LedgerContractTest
    implements IdempotencyKeysContract,
        JobQueueContract,
        JobReadsContract,
        LeaseFencingContract,
        RunningJobContract,
        RetryFailedContract,
        OutboxContract {

  private Ledger ledger;

  /** A ledger with {@code settings} that holds nothing yet. */
  protected abstract Ledger newLedger(LedgerSettings settings);

  @BeforeEach
  final void freshLedger() {
    ledger = newLedger(SETTINGS);
  }

  @Override
  public final Ledger ledger() {
    return ledger;
  }

  @Override
  public void keyDeletedByTtl(CommandEnvelope envelope) {}
}
