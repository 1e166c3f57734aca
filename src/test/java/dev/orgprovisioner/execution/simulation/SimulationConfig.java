package dev.orgprovisioner.execution.simulation;

import dev.orgprovisioner.execution.ExecutionSettings;
import dev.orgprovisioner.ledger.LedgerSettings;
import java.time.Duration;

/**
 * The shape of a schedule: how many top-level actions, instances and orgs, how often things fail,
 * and the timing of leases and warehouse calls.
 *
 * @param callTimeout every warehouse call is bounded by it; it must be shorter than the lease
 *     margin (the assumption the fence relies on: no call outlives the lease it started under)
 * @param nestProbability chance that a warehouse call or a sleep lets other actions run inside it
 * @param convergeRows the runner completes an org's rows whatever an earlier onboarding left (see
 *     {@link SimJobRunner}); false mirrors {@code ProvisioningJobs} today
 */
record SimulationConfig(
    int actions,
    int instances,
    int orgs,
    int maxDepth,
    double nestProbability,
    double ledgerFaultRate,
    double warehouseFaultRate,
    double killRate,
    Duration leaseDuration,
    Duration callTimeout,
    ExecutionSettings execution,
    int drainRounds,
    boolean convergeRows) {

  SimulationConfig {
    if (callTimeout.compareTo(execution.leaseMargin()) >= 0) {
      throw new IllegalArgumentException("the call timeout must be shorter than the lease margin");
    }
  }

  static SimulationConfig defaults() {
    return new SimulationConfig(
        80,
        3,
        4,
        3,
        0.3,
        0.04,
        0.05,
        0.01,
        Duration.ofSeconds(10),
        Duration.ofMillis(1500),
        new ExecutionSettings(
            2,
            6,
            Duration.ofMillis(200),
            Duration.ofSeconds(3),
            Duration.ofSeconds(1),
            Duration.ofSeconds(3),
            Duration.ofSeconds(5),
            Duration.ofSeconds(2),
            Duration.ofMinutes(1)),
        2400,
        true);
  }

  SimulationConfig withActions(int n) {
    return new SimulationConfig(
        n,
        instances,
        orgs,
        maxDepth,
        nestProbability,
        ledgerFaultRate,
        warehouseFaultRate,
        killRate,
        leaseDuration,
        callTimeout,
        execution,
        drainRounds,
        convergeRows);
  }

  SimulationConfig skippingRowsOfExistingOrgs() {
    return new SimulationConfig(
        actions,
        instances,
        orgs,
        maxDepth,
        nestProbability,
        ledgerFaultRate,
        warehouseFaultRate,
        killRate,
        leaseDuration,
        callTimeout,
        execution,
        drainRounds,
        false);
  }

  LedgerSettings ledgerSettings() {
    return new LedgerSettings(
        "sim_",
        Duration.ofDays(7),
        leaseDuration,
        20,
        Duration.ofSeconds(60),
        Duration.ofDays(30),
        Duration.ofDays(7));
  }
}
