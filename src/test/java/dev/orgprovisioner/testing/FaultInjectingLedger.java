package dev.orgprovisioner.testing;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.execution.port.LedgerUnavailableException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real ledger, except that the claim of a command whose ce-id starts with {@code fail-once-}
 * fails the first time, as an unreachable Firestore would, and every claim of a command for an org
 * in {@link #BROKEN_ORGS} fails at once (a defect in the intake path: nacked without an in-place
 * retry). Counts claims per command id.
 */
public final class FaultInjectingLedger extends ForwardingLedger {

  public static final String FAIL_ONCE_PREFIX = "fail-once-";
  public static final Map<String, AtomicInteger> CLAIMS = new ConcurrentHashMap<>();
  public static final Map<String, Instant> CLAIM_TIMES = new ConcurrentHashMap<>();
  public static final java.util.Set<String> BROKEN_ORGS = ConcurrentHashMap.newKeySet();

  public FaultInjectingLedger(Ledger delegate) {
    super(delegate);
  }

  @Override
  public List<ClaimResult> claimAll(List<CommandEnvelope> envelopes, Instant now) {
    for (CommandEnvelope envelope : envelopes) {
      int n = CLAIMS.computeIfAbsent(envelope.id(), k -> new AtomicInteger()).incrementAndGet();
      CLAIM_TIMES.putIfAbsent(envelope.id() + "#" + n, Instant.now());
      if (envelope.id().startsWith(FAIL_ONCE_PREFIX) && n == 1) {
        throw new LedgerUnavailableException("injected: Firestore unreachable", null);
      }
      String org = envelope.command().org().map(o -> o.value()).orElse("");
      if (BROKEN_ORGS.contains(org)) {
        throw new IllegalStateException("injected: the claim of org " + org + " is broken");
      }
    }
    return delegate.claimAll(envelopes, now);
  }
}
