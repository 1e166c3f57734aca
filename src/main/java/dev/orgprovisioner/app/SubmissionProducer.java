package dev.orgprovisioner.app;

import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Submission;
import dev.orgprovisioner.execution.WorkerPool;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.execution.port.Tracing;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the one submission use case that Pub/Sub intake and REST share. */
@Singleton
public class SubmissionProducer {

  @Produces
  @Singleton
  Submission submission(
      Ledger ledger,
      EventFactory events,
      Provider<WorkerPool> workers,
      Clock clock,
      Tracing tracing) {
    // The pool is asked for at the first dispatch: the intake subscribes at start while the pool
    // and its warehouse are still being built off the main thread (Startup).
    return new Submission(ledger, events, clock, job -> workers.get().dispatch(job), tracing);
  }
}
