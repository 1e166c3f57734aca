package dev.orgprovisioner.testing;

import dev.orgprovisioner.warehouse.Quota;
import dev.orgprovisioner.warehouse.QuotaBuckets;
import java.time.Instant;
import java.util.function.Supplier;

/** A store of quota windows whose take a test writes as a lambda; slowing down is ignored. */
public final class ScriptedQuotaBuckets {

  private ScriptedQuotaBuckets() {}

  /** What a take does: count it, hold it, delegate it, or answer a made-up grant. */
  @FunctionalInterface
  public interface Take {
    QuotaBuckets.Grant take(
        String id, Quota quota, double timeScale, QuotaBuckets.Ask ask, Supplier<Instant> at);
  }

  /** A store that answers each take with {@code take} and ignores {@code slowDown}. */
  public static QuotaBuckets taking(Take take) {
    return new QuotaBuckets() {
      @Override
      public Grant take(
          String id, Quota quota, double timeScale, QuotaBuckets.Ask ask, Supplier<Instant> at) {
        return take.take(id, quota, timeScale, ask, at);
      }

      @Override
      public void slowDown(String id, Quota quota, double timeScale, Instant at) {}
    };
  }
}
