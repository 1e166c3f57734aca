package dev.orgprovisioner.execution.simulation;

import java.time.Duration;

/** Counts of what schedules did, summed over many schedules for the SIMULATION line. */
final class SimulationStats {

  long schedules;
  long actions;
  long commands;
  long jobs;
  long calls;
  long callTimeouts;
  long ledgerFaults;
  long warehouseFaults;
  long publishFaults;
  long leaseLosses;
  long kills;
  long instancesStarted;
  int maxDepth;
  long drainRounds;
  Duration virtualTime = Duration.ZERO;

  void add(SimulationStats other) {
    schedules += other.schedules;
    actions += other.actions;
    commands += other.commands;
    jobs += other.jobs;
    calls += other.calls;
    callTimeouts += other.callTimeouts;
    ledgerFaults += other.ledgerFaults;
    warehouseFaults += other.warehouseFaults;
    publishFaults += other.publishFaults;
    leaseLosses += other.leaseLosses;
    kills += other.kills;
    instancesStarted += other.instancesStarted;
    maxDepth = Math.max(maxDepth, other.maxDepth);
    drainRounds = Math.max(drainRounds, other.drainRounds);
    virtualTime = virtualTime.plus(other.virtualTime);
  }

  long faults() {
    return ledgerFaults + warehouseFaults + publishFaults;
  }

  String summary() {
    return String.format(
        "schedules=%d actions=%d commands=%d jobs=%d calls=%d faults=%d (ledger=%d warehouse=%d"
            + " publish=%d call-timeouts=%d) lease-losses=%d kills=%d instances-started=%d"
            + " max-depth=%d max-drain-rounds=%d virtual-time=%ds",
        schedules,
        actions,
        commands,
        jobs,
        calls,
        faults() + callTimeouts,
        ledgerFaults,
        warehouseFaults,
        publishFaults,
        callTimeouts,
        leaseLosses,
        kills,
        instancesStarted,
        maxDepth,
        drainRounds,
        virtualTime.toSeconds());
  }
}
