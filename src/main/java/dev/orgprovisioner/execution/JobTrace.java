package dev.orgprovisioner.execution;

import dev.orgprovisioner.command.TraceContext;
import java.util.function.Supplier;

/** The trace of the job run on this thread: commands a job queues continue that job's trace. */
public final class JobTrace {

  private static final ThreadBinding<TraceContext> CURRENT = new ThreadBinding<>();

  private JobTrace() {}

  /** Runs {@code work} as a job whose run span is {@code trace} (null: none). */
  public static <T> T under(TraceContext trace, Supplier<T> work) {
    return CURRENT.under(trace, work);
  }

  /** The run span of the job on this thread, or null outside a job (or when it has none). */
  public static TraceContext current() {
    return CURRENT.get();
  }
}
