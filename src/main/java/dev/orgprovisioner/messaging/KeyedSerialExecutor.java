package dev.orgprovisioner.messaging;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Runs tasks on a shared pool, one at a time per key and in submission order, so messages of one
 * ordering key (one org) are handled in the order Pub/Sub delivered them while different orgs
 * proceed in parallel.
 */
final class KeyedSerialExecutor {

  private final Executor pool;
  private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

  KeyedSerialExecutor(Executor pool) {
    this.pool = pool;
  }

  /** Runs {@code task} after every earlier task of the same key; an empty key is unordered. */
  CompletableFuture<Void> submit(String key, Runnable task) {
    if (key == null || key.isEmpty()) {
      return CompletableFuture.runAsync(task, pool);
    }
    CompletableFuture<Void> next =
        tails.compute(
            key,
            (k, previous) ->
                (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                    .handle((ok, error) -> null)
                    .thenRunAsync(task, pool));
    next.whenComplete((ok, error) -> tails.remove(key, next));
    return next;
  }
}
