package dev.orgprovisioner.warehouse.bigquery;

import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit of keyed upserts: per table at most one MERGE of this instance in flight, carrying
 * the rows of every caller that arrived while the one before it ran.
 */
final class GroupCommit implements AutoCloseable {

  /** Rows of one combined statement at most (BigQuery takes 10 MB per request; rows are small). */
  static final int MAX_BATCH_ROWS = 500;

  /** Sends rows as MERGE statements into one table, each statement ending within {@code wait}. */
  @FunctionalInterface
  interface Merge {
    void send(
        Shape shape, List<Map<String, Object>> rows, Map<String, String> labels, Duration wait);
  }

  /**
   * What callers must share to be merged in one statement: the table, the key and the columns (a
   * column one caller leaves out must not be set to NULL by another's row).
   */
  record Shape(
      String dataset,
      String table,
      List<String> keyColumns,
      Set<String> columns,
      Optional<PartitionLayout> layout) {

    Shape {
      keyColumns = List.copyOf(keyColumns);
      columns = Set.copyOf(columns);
    }
  }

  private final Merge merge;
  private final Duration queryTimeout;
  private final ExecutorService senders;
  private final Map<String, Lane> lanes = new HashMap<>();
  private final AtomicLong statements = new AtomicLong();

  GroupCommit(Merge merge, Duration queryTimeout, AtomicInteger threads) {
    this.merge = merge;
    this.queryTimeout = queryTimeout;
    this.senders = Executors.newCachedThreadPool(BigQueryCalls.daemons("bigquery-dml-", threads));
  }

  /**
   * Upserts {@code rows} (one caller's, in {@code statementsAlone} statements if sent alone) with
   * those of concurrent callers; returns when they are written, or throws the failure that concerns
   * them. A caller waits at most the query timeout per statement of its own.
   */
  void upsert(
      Shape shape,
      List<Map<String, Object>> rows,
      Map<String, String> labels,
      int statementsAlone) {
    Duration budget = queryTimeout.multipliedBy(Math.max(1, statementsAlone));
    Caller caller = new Caller(shape, rows, labels, budget);
    String key = shape.dataset() + "." + shape.table();
    boolean start;
    Lane lane;
    synchronized (lanes) {
      lane = lanes.computeIfAbsent(key, k -> new Lane());
      lane.waiting.addLast(caller);
      start = !lane.sending;
      lane.sending = true;
    }
    if (start) {
      senders.execute(() -> drain(key, lane));
    }
    await(caller, what(shape));
  }

  /** Callers waiting for a statement into {@code dataset.table} not yet sent (for tests). */
  int waiting(String dataset, String table) {
    synchronized (lanes) {
      Lane lane = lanes.get(dataset + "." + table);
      return lane == null ? 0 : lane.waiting.size();
    }
  }

  /** Statements sent so far (combined or alone). */
  long statements() {
    return statements.get();
  }

  private static void await(Caller caller, String what) {
    Duration budget = caller.budget;
    try {
      caller.done.get(Math.max(0, caller.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // Given up: a batch not yet sent leaves these rows out; one sent ends by this deadline.
      if (caller.done.cancel(false)) {
        throw BigQueryErrors.timedOut(what, budget, e);
      }
      await(caller, what);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re
          ? re
          : new WarehouseException(Kind.TRANSIENT, what + " failed: " + e.getCause(), e);
    } catch (CancellationException e) {
      throw BigQueryErrors.timedOut(what, budget, e);
    } catch (InterruptedException e) {
      caller.done.cancel(false);
      throw BigQueryErrors.interrupted(what, e);
    }
  }

  /** Sends the lane's batches one after another until no caller waits. */
  private void drain(String key, Lane lane) {
    while (true) {
      List<Caller> batch;
      synchronized (lanes) {
        batch = lane.next(System.nanoTime());
        if (batch.isEmpty()) {
          lane.sending = false;
          lanes.remove(key);
          return;
        }
      }
      try {
        send(batch);
      } catch (Throwable t) {
        batch.forEach(c -> c.done.completeExceptionally(t));
      }
    }
  }

  private void send(List<Caller> batch) {
    if (batch.size() == 1) {
      sendAlone(batch.get(0));
      return;
    }
    long now = System.nanoTime();
    List<Map<String, Object>> rows = new ArrayList<>();
    List<Map<String, String>> labels = new ArrayList<>();
    long wait = Long.MAX_VALUE;
    for (Caller c : batch) {
      rows.addAll(c.rows);
      labels.add(c.labels);
      wait = Math.min(wait, c.deadline - now);
    }
    try {
      statements.incrementAndGet();
      merge.send(batch.get(0).shape, rows, JobLabels.common(labels), Duration.ofNanos(wait));
      batch.forEach(c -> c.done.complete(null));
    } catch (RuntimeException e) {
      if (e instanceof WarehouseException w && w.kind() != Kind.PERMANENT) {
        // Transient or the table's own state: every caller retries (its retry joins a later batch).
        batch.forEach(c -> c.done.completeExceptionally(e));
      } else {
        // Maybe one caller's bad row: each alone, so only that caller fails.
        batch.forEach(this::sendAlone);
      }
    }
  }

  private void sendAlone(Caller c) {
    long wait = c.deadline - System.nanoTime();
    if (c.done.isDone()) {
      return;
    }
    if (wait <= 0) {
      c.done.completeExceptionally(
          BigQueryErrors.timedOut(what(c.shape), c.budget, new TimeoutException()));
      return;
    }
    try {
      statements.incrementAndGet();
      merge.send(c.shape, c.rows, c.labels, Duration.ofNanos(wait));
      c.done.complete(null);
    } catch (RuntimeException e) {
      c.done.completeExceptionally(e);
    }
  }

  private static String what(Shape shape) {
    return "upsert into " + shape.dataset() + "." + shape.table();
  }

  @Override
  public void close() {
    senders.shutdownNow();
    synchronized (lanes) {
      WarehouseException closed =
          new WarehouseException(Kind.TRANSIENT, "upsert not sent: the warehouse is closed");
      lanes.values().forEach(l -> l.waiting.forEach(c -> c.done.completeExceptionally(closed)));
      lanes.clear();
    }
  }

  /** One caller's rows and how to reach it. */
  private static final class Caller {
    final Shape shape;
    final List<Map<String, Object>> rows;
    final Map<String, String> labels;
    final Duration budget;
    final long deadline;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Caller(
        Shape shape, List<Map<String, Object>> rows, Map<String, String> labels, Duration budget) {
      this.shape = shape;
      this.rows = rows;
      this.labels = labels;
      this.budget = budget;
      this.deadline = System.nanoTime() + budget.toNanos();
    }
  }

  /** The callers waiting to write into one table, and whether a sender serves them. */
  private static final class Lane {
    final Deque<Caller> waiting = new ArrayDeque<>();
    boolean sending;

    /**
     * The next batch: the longest-waiting caller and those after it of its shape, within the row
     * and parameter caps; callers that gave up or whose time ran out are dropped.
     */
    List<Caller> next(long now) {
      List<Caller> batch = new ArrayList<>();
      int rows = 0;
      for (Iterator<Caller> it = waiting.iterator(); it.hasNext(); ) {
        Caller c = it.next();
        if (c.done.isDone()) {
          it.remove();
          continue;
        }
        if (c.deadline - now <= 0) {
          it.remove();
          c.done.completeExceptionally(
              BigQueryErrors.timedOut(what(c.shape), c.budget, new TimeoutException()));
          continue;
        }
        if (batch.isEmpty()) {
          it.remove();
          batch.add(c);
          rows = c.rows.size();
          continue;
        }
        int total = rows + c.rows.size();
        if (c.shape.equals(batch.get(0).shape)
            && total <= MAX_BATCH_ROWS
            && (long) total * c.shape.columns().size() <= BigQueryRows.MAX_PARAMETERS) {
          it.remove();
          batch.add(c);
          rows = total;
        }
      }
      return batch;
    }
  }
}
