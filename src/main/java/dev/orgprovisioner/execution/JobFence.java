package dev.orgprovisioner.execution;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The lease of the job the current thread works for, so that every warehouse call can check it (see
 * {@code FencedWarehouse}) without each use case passing it along. Work handed to other threads
 * carries it with {@link #propagating}.
 */
public final class JobFence {

  private static final ThreadBinding<JobLease> CURRENT = new ThreadBinding<>();

  private JobFence() {}

  /** Runs {@code work} with {@code lease} as the current thread's fence, then restores the old. */
  public static <T> T under(JobLease lease, Supplier<T> work) {
    return CURRENT.under(lease, work);
  }

  /** The lease of the job the current thread works for, if any (e.g. to record its epoch). */
  public static Optional<JobLease> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /** Checks the current thread's lease, if it works for a job (see {@link JobLease#check}). */
  public static void check(Clock clock) {
    JobLease lease = CURRENT.get();
    if (lease != null) {
      lease.check(clock.instant());
    }
  }

  /** {@code task} running under the fence of the thread that wraps it. */
  public static Runnable propagating(Runnable task) {
    JobLease lease = CURRENT.get();
    return lease == null
        ? task
        : () ->
            under(
                lease,
                () -> {
                  task.run();
                  return null;
                });
  }
}
