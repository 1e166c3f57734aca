package dev.orgprovisioner.messaging;

import com.google.api.gax.core.ExecutorProvider;
import com.google.api.gax.core.FixedExecutorProvider;
import dev.orgprovisioner.execution.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One channel's Pub/Sub client threads, shared by its subscriber or all its publishers: at most a
 * fixed number, each ending after {@link #IDLE_KEEP_ALIVE} without work. The client's own executor
 * keeps every thread it ever started (ten per publisher on two cores) for the life of the worker.
 */
final class ClientThreads implements AutoCloseable {

  /** How long a thread with nothing to run waits before it ends. */
  static final Duration IDLE_KEEP_ALIVE = Duration.ofSeconds(10);

  private final ScheduledThreadPoolExecutor executor;

  ClientThreads(String channel, int threads) {
    this(channel, threads, IDLE_KEEP_ALIVE);
  }

  ClientThreads(String channel, int threads, Duration keepAlive) {
    executor = new ScheduledThreadPoolExecutor(threads, DaemonThreads.named("pubsub-" + channel));
    executor.setKeepAliveTime(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
    executor.allowCoreThreadTimeOut(true);
    // A publisher's cancelled batch alarms would otherwise stay queued until their time.
    executor.setRemoveOnCancelPolicy(true);
  }

  /** The executor for a client builder; the client does not shut it down, {@link #close} does. */
  ExecutorProvider provider() {
    return FixedExecutorProvider.create(executor);
  }

  /** Threads alive now (started and not yet ended). */
  int alive() {
    return executor.getPoolSize();
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
