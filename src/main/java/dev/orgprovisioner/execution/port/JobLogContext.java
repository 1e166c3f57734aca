package dev.orgprovisioner.execution.port;

import dev.orgprovisioner.execution.Job;

/**
 * Port that tags every log line written while a job runs with its command id, org and job id (the
 * application puts them in the logging MDC; the domain stays free of the logging backend).
 */
public interface JobLogContext {

  /** Tags nothing. */
  JobLogContext NONE = job -> () -> {};

  /** Tags the current thread's log lines with the job until the returned scope is closed. */
  Scope enter(Job job);

  /** Ends the tagging started by {@link #enter}; never throws. */
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
