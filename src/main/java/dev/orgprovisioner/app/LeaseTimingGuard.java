package dev.orgprovisioner.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks that the lease timings keep the execution protocol's assumptions
 * (docs/execution-protocol.md): one missed heartbeat does not stop a job, and no warehouse call
 * outlives the lease margin it started under. Refuses the configuration with every broken rule,
 * naming the keys.
 */
public final class LeaseTimingGuard {

  private LeaseTimingGuard() {}

  /**
   * @param bigQueryTimeouts the BigQuery call and query timeouts, when BigQuery is the warehouse
   */
  public static void check(
      Duration leaseDuration,
      Duration heartbeatInterval,
      Duration leaseMargin,
      Optional<List<Duration>> bigQueryTimeouts) {
    List<String> problems = new ArrayList<>();
    if (heartbeatInterval.multipliedBy(2).plus(leaseMargin).compareTo(leaseDuration) >= 0) {
      problems.add(
          "ledger.lease-duration ("
              + leaseDuration
              + ") must exceed 2 × execution.heartbeat-interval ("
              + heartbeatInterval
              + ") + execution.lease-margin ("
              + leaseMargin
              + "), so that one missed heartbeat does not stop a job");
    }
    bigQueryTimeouts.ifPresent(
        timeouts -> {
          for (Duration timeout : timeouts) {
            if (timeout.compareTo(leaseMargin) >= 0) {
              problems.add(
                  "warehouse.bigquery.call-timeout and query-timeout ("
                      + timeout
                      + ") must be shorter than execution.lease-margin ("
                      + leaseMargin
                      + "), so that no warehouse call outlives the lease it started under");
            }
          }
        });
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "Lease timing configuration refused: " + String.join("; ", problems));
    }
  }
}
