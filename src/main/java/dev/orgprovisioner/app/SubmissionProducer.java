package dev.orgprovisioner.app;

import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Submission;
import dev.orgprovisioner.execution.WorkerPool;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.execution.port.Tracing;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the one submission use case that Pub/Sub intake and REST share. */
@Singleton
public class SubmissionProducer {

  @Produces
  @Singleton
  Submission submission(
      Ledger ledger, EventFactory events, WorkerPool workers, Clock clock, Tracing tracing) {
    return new Submission(ledger, events, clock, workers::dispatch, tracing);
  }
}
