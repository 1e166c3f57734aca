package dev.orgprovisioner.execution;

import dev.orgprovisioner.execution.port.LedgerUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Groups concurrently arriving messages so their idempotency claims share one ledger transaction: a
 * lone message is claimed at once, and under load each transaction claims up to {@code maxBatch}.
 * While the ledger is unreachable a batch is retried in place for up to {@code retryWindow} (the
 * messages stay leased), then its messages fail and are nacked. A batch that fails for any other
 * reason is retried one message at a time, so only the culprit fails. Its threads start when
 * messages wait and end after {@link #IDLE_KEEP_ALIVE} without any, so an idle worker holds none.
 */
public final class IntakeBatcher implements AutoCloseable {

  /** Waits between retries of a batch while the ledger is unavailable. */
  private static final Backoff LEDGER_BACKOFF =
      new Backoff(java.time.Duration.ofMillis(250), java.time.Duration.ofSeconds(4));

  /** How long a thread with no message to claim waits before it ends. */
  static final Duration IDLE_KEEP_ALIVE = Duration.ofSeconds(10);

  private static final Logger LOG = Logger.getLogger(IntakeBatcher.class.getName());

  private record Request(Intake.Incoming message, CompletableFuture<IntakeDecision> result) {}

  private final Intake intake;
  private final int maxBatch;
  private final Duration retryWindow;
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final int threadCount;
  private final ThreadPoolExecutor threads;

  /** Drain loops running or about to run: at most {@code threadCount}. */
  private final AtomicInteger draining = new AtomicInteger();

  private volatile boolean running = true;

  /** Runs when a drain loop found the queue empty, before it counts itself out (tests widen it). */
  volatile Runnable foundEmpty = () -> {};

  public IntakeBatcher(Intake intake, int maxBatch, Duration retryWindow, int threadCount) {
    this(intake, maxBatch, retryWindow, threadCount, IDLE_KEEP_ALIVE);
  }

  IntakeBatcher(
      Intake intake, int maxBatch, Duration retryWindow, int threadCount, Duration keepAlive) {
    this.intake = intake;
    this.maxBatch = maxBatch;
    this.retryWindow = retryWindow;
    this.threadCount = threadCount;
    this.threads =
        new ThreadPoolExecutor(
            threadCount,
            threadCount,
            keepAlive.toMillis(),
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            DaemonThreads.named("intake"));
    threads.allowCoreThreadTimeOut(true);
  }

  /** Queues one message; the future completes with its decision, or fails (→ nack). */
  public CompletableFuture<IntakeDecision> submit(Intake.Incoming message) {
    CompletableFuture<IntakeDecision> result = new CompletableFuture<>();
    if (!running) {
      result.completeExceptionally(new IllegalStateException("intake is shutting down"));
      return result;
    }
    queue.add(new Request(message, result));
    if (running) {
      drainIfIdle();
    } else {
      // close() may have emptied the queue just before this message was added.
      failQueued();
    }
    return result;
  }

  /** Threads alive now: none once the batcher has been idle for its keep-alive. */
  int threadsAlive() {
    return threads.getPoolSize();
  }

  /** Starts a drain loop while messages wait and fewer than {@code threadCount} loops run. */
  private void drainIfIdle() {
    while (!queue.isEmpty()) {
      int now = draining.get();
      if (now >= threadCount) {
        // Each running loop polls again, or re-checks the queue after it counts itself out.
        return;
      }
      if (draining.compareAndSet(now, now + 1)) {
        try {
          threads.execute(this::drain);
        } catch (RejectedExecutionException e) {
          draining.decrementAndGet();
          failQueued();
        }
        return;
      }
    }
  }

  /** Claims batches until the queue is empty; a message queued meanwhile starts another loop. */
  private void drain() {
    try {
      Request first;
      while (running && (first = queue.poll()) != null) {
        List<Request> batch = new ArrayList<>();
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        process(batch, System.nanoTime() + retryWindow.toNanos());
      }
      foundEmpty.run();
    } finally {
      draining.decrementAndGet();
    }
    if (running) {
      drainIfIdle();
    }
  }

  /** Decides for a batch; while the ledger is unavailable, retries in place until deadline. */
  private void process(List<Request> batch, long deadline) {
    List<Intake.Incoming> messages = batch.stream().map(Request::message).toList();
    for (int attempt = 1; ; attempt++) {
      try {
        List<IntakeDecision> decisions = intake.handleAll(messages);
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).result().complete(decisions.get(i));
        }
        return;
      } catch (LedgerUnavailableException e) {
        long backoffMs = LEDGER_BACKOFF.ceiling(attempt).toMillis();
        if (!running || System.nanoTime() + backoffMs * 1_000_000 > deadline) {
          batch.forEach(r -> r.result().completeExceptionally(e));
          return;
        }
        LOG.log(Level.FINE, "Ledger unavailable, retrying a batch of {0}", batch.size());
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          batch.forEach(r -> r.result().completeExceptionally(e));
          return;
        }
      } catch (RuntimeException | StackOverflowError | AssertionError e) {
        if (batch.size() == 1) {
          batch.get(0).result().completeExceptionally(e);
          return;
        }
        LOG.log(
            Level.WARNING,
            "A batch of " + batch.size() + " failed; retrying its messages one by one",
            e);
        // One shared retry window: a ledger outage meanwhile does not multiply it by the batch.
        batch.forEach(r -> process(List.of(r), deadline));
        return;
      }
    }
  }

  /** Stops taking messages; those still queued fail, so they are nacked and redelivered. */
  @Override
  public void close() {
    running = false;
    threads.shutdown();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failQueued();
  }

  private void failQueued() {
    List<Request> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(
        r -> r.result().completeExceptionally(new IllegalStateException("intake stopped")));
  }
}
