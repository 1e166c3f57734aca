package dev.orgprovisioner.execution.port;

import java.util.Optional;

/**
 * What a running job knows of its own progress: which steps a previous attempt completed, facts an
 * earlier attempt decided, and a way to record both. Every call fails with {@link
 * LeaseLostException} once the job's lease was lost: the job must stop touching the warehouse.
 */
public interface StepLog {

  boolean isDone(String step);

  /** Records a completed step; a resumed attempt skips it. */
  void completed(String step);

  /**
   * Throws {@link LeaseLostException} unless this attempt still holds the job's lease (and will for
   * long enough to start one more warehouse call). Call it before each warehouse step.
   */
  void checkLease();

  /** A fact recorded by this or an earlier attempt of the job (see {@link #remember}). */
  Optional<String> fact(String name);

  /**
   * Records a fact about the job for all its later attempts (e.g. whether the org already existed
   * at the first attempt). A fact is written once: remembering a name again keeps the first value,
   * which is returned.
   */
  String remember(String name, String value);

  /** Thrown when the job's lease was lost: the worker must stop touching it. */
  final class LeaseLostException extends RuntimeException {
    public LeaseLostException(String jobId) {
      super("lease of job " + jobId + " was lost to another worker");
    }
  }
}
