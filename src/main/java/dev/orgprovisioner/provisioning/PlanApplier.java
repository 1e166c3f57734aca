package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

/**
 * Applies plan steps in their phase order, running the independent table-level steps of one phase
 * (e.g. all CreateTable steps) in parallel, bounded; views one after another, since a view may read
 * another. A warehouse with transactional DDL takes the whole plan in one transaction instead.
 */
public final class PlanApplier {

  private final Warehouse warehouse;
  private final ExecutorService executor;
  private final int parallelism;

  public PlanApplier(Warehouse warehouse, ExecutorService executor, int parallelism) {
    this.warehouse = warehouse;
    this.executor = executor;
    this.parallelism = Math.max(1, parallelism);
  }

  /** Applies the steps; returns their descriptions in the order they were planned. */
  public List<String> apply(List<PlanStep> steps) {
    if (warehouse.transactionalDdl() && steps.size() > 1) {
      // One commit and one metadata write for the plan: parallel transactions on one embedded
      // database only queue for its catalog lock (measured in docs/performance.md).
      warehouse.applyAll(steps);
      return steps.stream().map(PlanStep::describe).toList();
    }
    List<String> applied = new ArrayList<>();
    int i = 0;
    while (i < steps.size()) {
      PlanStep first = steps.get(i);
      int j = i + 1;
      if (parallelizable(first)) {
        while (j < steps.size() && steps.get(j).getClass() == first.getClass()) {
          j++;
        }
      }
      List<PlanStep> phase = steps.subList(i, j);
      if (phase.size() == 1 || parallelism == 1) {
        phase.forEach(warehouse::apply);
      } else {
        runParallel(phase);
      }
      phase.forEach(s -> applied.add(s.describe()));
      i = j;
    }
    return applied;
  }

  private static boolean parallelizable(PlanStep step) {
    return !(step instanceof PlanStep.CreateDataset || step instanceof PlanStep.UpdateDataset);
  }

  private void runParallel(List<PlanStep> phase) {
    Semaphore permits = new Semaphore(parallelism);
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (PlanStep step : phase) {
      futures.add(
          CompletableFuture.runAsync(
              () -> {
                permits.acquireUninterruptibly();
                try {
                  warehouse.apply(step);
                } finally {
                  permits.release();
                }
              },
              executor));
    }
    try {
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }
}
