package dev.orgprovisioner.execution.simulation;

import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Intake;
import dev.orgprovisioner.execution.JobExecution;
import dev.orgprovisioner.execution.OutboxRelay;
import dev.orgprovisioner.execution.Submission;
import dev.orgprovisioner.execution.WorkerPool;
import dev.orgprovisioner.execution.port.AuditTrail;
import dev.orgprovisioner.execution.port.EventPublisher;
import dev.orgprovisioner.execution.port.JobLogContext;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.provisioning.FencedWarehouse;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * One worker instance wired as the application wires it — intake, worker pool, job execution,
 * outbox relay — on the virtual clock, with its own connections to the shared ledger and warehouse.
 * Its threads are never started: the scheduler drives it. Killed, it stops dead.
 */
final class SimInstance {

  private final String name;
  private final World world;
  private final WorkerPool pool;
  private final Intake intake;
  private final OutboxRelay relay;
  private boolean alive = true;
  private int busyWorkers;

  SimInstance(String name, World world, SplittableRandom random) {
    this.name = name;
    this.world = world;
    InstanceLedger ledger = new InstanceLedger(world.ledger(), this, world.faults(), world.stats());
    EventFactory events = new EventFactory("//org-provisioner/simulation");
    EventPublisher publisher =
        event -> {
          checkAlive();
          if (world.faults().publishFails()) {
            return CompletableFuture.failedFuture(new IllegalStateException("injected: no ack"));
          }
          world.checker().published(event);
          return CompletableFuture.completedFuture(null);
        };
    this.relay = new OutboxRelay(ledger, publisher);
    SimJobRunner runner =
        new SimJobRunner(
            new FencedWarehouse(new InstanceWarehouse(this, world.warehouse()), world.clock()),
            world.stats(),
            () -> world.interleaver().interleave(name + " between calls"),
            world.config().convergeRows());
    JobExecution.Sleeper sleeper =
        duration -> {
          checkAlive();
          world.clock().advance(duration);
          world.interleaver().interleave(name + " sleeps " + duration.toMillis() + "ms");
          checkAlive();
        };
    JobExecution execution =
        new JobExecution(
            new JobExecution.Parts(
                ledger,
                runner,
                events,
                relay,
                AuditTrail.NONE,
                Metrics.NONE,
                JobLogContext.NONE,
                world.clock(),
                sleeper,
                random),
            world.config().execution());
    this.pool =
        new WorkerPool(ledger, execution, relay, world.config().execution(), name, world.clock());
    // The simulation hands new jobs to pools itself (it decides which instance gets the hint).
    this.intake =
        new Intake(world.decoder(), new Submission(ledger, events, world.clock(), job -> {}));
  }

  String name() {
    return name;
  }

  boolean alive() {
    return alive;
  }

  /** Throws {@link InstanceDied} once the instance was killed: its JVM is gone. */
  void checkAlive() {
    if (!alive) {
      throw new InstanceDied(name);
    }
  }

  /** Stops dead: releases nothing, finishes nothing; every later call of its code throws. */
  void kill() {
    alive = false;
  }

  WorkerPool pool() {
    return pool;
  }

  Intake intake() {
    return intake;
  }

  OutboxRelay relay() {
    return relay;
  }

  /** A worker thread is free to take a hint (a pool has {@code workers} of them). */
  boolean hasFreeWorker() {
    return busyWorkers < world.config().execution().workers();
  }

  /** One worker thread's {@code workOnce(0)}. */
  boolean workOnce() throws InterruptedException {
    busyWorkers++;
    try {
      return pool.workOnce(0);
    } finally {
      busyWorkers--;
    }
  }
}
