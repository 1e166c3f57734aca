package dev.orgprovisioner.execution.simulation;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.execution.port.Ledger;

/**
 * What the instances of one schedule share: time, the ledger, the warehouse, faults, the checker.
 */
record World(
    SimulationConfig config,
    VirtualClock clock,
    Ledger ledger,
    RecordingWarehouse warehouse,
    FaultPlan faults,
    InvariantChecker checker,
    SimulationStats stats,
    Trace trace,
    RecordingWarehouse.Interleaver interleaver,
    CommandDecoder decoder) {}
