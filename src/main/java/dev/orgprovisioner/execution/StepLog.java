package dev.orgprovisioner.execution;

/**
 * What a running job knows of its own progress: which steps a previous attempt completed, and a way
 * to record the ones it completes. Recording fails with {@link LeaseLostException} when another
 * worker took the job over.
 */
public interface StepLog {

  boolean isDone(String step);

  void completed(String step);

  /** Thrown when the job's lease was lost: the worker must stop touching it. */
  final class LeaseLostException extends RuntimeException {
    public LeaseLostException(String jobId) {
      super("lease of job " + jobId + " was lost to another worker");
    }
  }
}
