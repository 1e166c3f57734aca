package dev.orgprovisioner.testing;

import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.execution.port.LedgerRejectedException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The real ledger, except that a claim transaction that contains a command for an org in {@link
 * #brokenOrgs} fails with a bug-like exception, and one for an org in {@link #refusedOrgs} is
 * refused for good (as Firestore's INVALID_ARGUMENT would be); records the size of every claim
 * transaction, and can hold the first one until {@link #open} (so later messages queue up into one
 * batch).
 */
public final class ClaimFaults {

  public final Set<String> brokenOrgs = ConcurrentHashMap.newKeySet();
  public final Set<String> refusedOrgs = ConcurrentHashMap.newKeySet();
  public final List<Integer> transactionSizes = new CopyOnWriteArrayList<>();
  private final CountDownLatch gate = new CountDownLatch(1);
  private final CountDownLatch held = new CountDownLatch(1);
  private volatile boolean gated;

  /** Holds the next claim transaction until {@link #open}. */
  public void closeGate() {
    gated = true;
  }

  public void open() {
    gate.countDown();
  }

  /** Waits until a claim transaction is being held at the gate. */
  public boolean awaitHeld(long seconds) throws InterruptedException {
    return held.await(seconds, TimeUnit.SECONDS);
  }

  /** {@code real} with these faults. */
  public Ledger around(Ledger real) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          // Claims of commands only (claim(jobId, …) is a worker claiming a job).
          if (method.getName().equals("claimAll")
              || (method.getName().equals("claim") && args[0] instanceof CommandEnvelope)) {
            @SuppressWarnings("unchecked")
            List<CommandEnvelope> envelopes =
                method.getName().equals("claimAll")
                    ? (List<CommandEnvelope>) args[0]
                    : List.of((CommandEnvelope) args[0]);
            if (gated) {
              gated = false;
              held.countDown();
              if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
              }
            }
            transactionSizes.add(envelopes.size());
            for (CommandEnvelope e : envelopes) {
              String org = e.command().org().map(o -> o.value()).orElse("");
              if (brokenOrgs.contains(org)) {
                throw new IllegalStateException("injected: a defect claiming " + org);
              }
              if (refusedOrgs.contains(org)) {
                throw new LedgerRejectedException(
                    "INVALID_ARGUMENT: the document is too large", null);
              }
            }
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (Ledger)
        Proxy.newProxyInstance(
            Ledger.class.getClassLoader(), new Class<?>[] {Ledger.class}, handler);
  }
}
