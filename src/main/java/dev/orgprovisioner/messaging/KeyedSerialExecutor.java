package dev.orgprovisioner.messaging;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Chains asynchronous tasks one after another per key, so messages of one ordering key (one org)
 * are handled in the order Pub/Sub delivered them while different orgs proceed concurrently. No
 * thread waits: each task starts when the previous one of its key completed.
 */
public final class KeyedSerialExecutor {

  private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

  /** Runs {@code task} after every earlier task of the same key; an empty key is unordered. */
  public CompletableFuture<Void> submit(String key, Supplier<CompletionStage<Void>> task) {
    if (key == null || key.isEmpty()) {
      return task.get().toCompletableFuture();
    }
    CompletableFuture<Void> next =
        tails.compute(
            key,
            (k, previous) ->
                (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                    .handle((ok, error) -> null)
                    .thenCompose(ignored -> task.get()));
    next.whenComplete((ok, error) -> tails.remove(key, next));
    return next;
  }
}
