package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.Plan;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.FaultyWarehouse;
import dev.orgprovisioner.warehouse.ForwardingWarehouse;
import dev.orgprovisioner.warehouse.RetryingWarehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A plan reaches a warehouse with transactional DDL whole, in one transaction (all or nothing),
 * through the worker's retrying decorator; other warehouses get it step by step.
 */
class PlanApplierTest {

  private final Catalog catalog = CatalogFixtures.project();
  private final DesiredDataset central =
      new DesiredDataset("organizations", "EU", catalog.central(), "organizations", null);
  private final DesiredDataset acme =
      new DesiredDataset("acme_local", "EU", catalog.org(), "organizations", "acme");
  private final DuckDbWarehouse duck = new DuckDbWarehouse(":memory:");
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  /** Counts whole plans and single steps on their way to DuckDB. */
  private static final class Counting extends ForwardingWarehouse {
    final AtomicInteger plans = new AtomicInteger();
    final AtomicInteger steps = new AtomicInteger();

    Counting(DuckDbWarehouse delegate) {
      super(delegate);
    }

    @Override
    public void apply(PlanStep step) {
      steps.incrementAndGet();
      super.apply(step);
    }

    @Override
    public void applyAll(List<PlanStep> all) {
      plans.incrementAndGet();
      delegate.applyAll(all);
    }
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    duck.close();
  }

  private Plan plan(DesiredDataset desired) {
    return Planner.plan(desired, duck.freshSnapshot(desired.name()), duck::viewSql);
  }

  @Test
  void transactionalWarehouse_getsThePlanWhole_throughTheRetryingDecorator() {
    Counting counting = new Counting(duck);
    RetryingWarehouse retrying = new RetryingWarehouse(counting, 3, Duration.ofMillis(1));
    new PlanApplier(retrying, pool, 10).apply(plan(central).steps());
    Plan org = plan(acme);

    List<String> applied = new PlanApplier(retrying, pool, 10).apply(org.steps());

    assertThat(retrying.transactionalDdl()).isTrue();
    assertThat(counting.plans.get()).isEqualTo(2);
    assertThat(counting.steps.get()).isZero();
    assertThat(applied).hasSize(org.steps().size());
    assertThat(plan(acme).differences()).isEmpty();
  }

  @Test
  void theWorkersDecorators_forwardThePlanWhole() {
    Counting counting = new Counting(duck);
    dev.orgprovisioner.warehouse.Warehouse chain =
        new dev.orgprovisioner.warehouse.TracedWarehouse(
            new FencedWarehouse(
                new RetryingWarehouse(counting, 3, Duration.ofMillis(1)),
                java.time.Clock.systemUTC()),
            dev.orgprovisioner.execution.port.Tracing.NONE);

    new PlanApplier(chain, pool, 10).apply(plan(central).steps());

    assertThat(chain.transactionalDdl()).isTrue();
    assertThat(counting.plans.get()).isEqualTo(1);
    assertThat(counting.steps.get()).isZero();
  }

  @Test
  void failingStepOfATransactionalPlan_leavesNothingOfThePlanBehind() {
    new PlanApplier(duck, pool, 10).apply(plan(central).steps());
    List<PlanStep> steps = new ArrayList<>(plan(acme).steps());
    // A step on a dataset nobody created fails after the org's dataset and tables were created.
    PlanStep.CreateTable table =
        steps.stream()
            .filter(PlanStep.CreateTable.class::isInstance)
            .map(PlanStep.CreateTable.class::cast)
            .findFirst()
            .orElseThrow();
    steps.add(new PlanStep.CreateTable("nowhere", table.table(), table.labels()));

    assertThatThrownBy(() -> new PlanApplier(duck, pool, 10).apply(steps))
        .isInstanceOf(WarehouseException.class);
    assertThat(duck.datasetExists("acme_local")).isFalse();
    assertThat(duck.freshSnapshot("acme_local")).isEmpty();
  }

  @Test
  void warehouseWithoutTransactionalDdl_getsEveryStepOnItsOwn() {
    FaultyWarehouse stepwise = new FaultyWarehouse(duck);
    new PlanApplier(stepwise, pool, 10).apply(plan(central).steps());
    int before = stepwise.writes.get();
    Plan org = plan(acme);

    new PlanApplier(stepwise, pool, 10).apply(org.steps());

    assertThat(stepwise.transactionalDdl()).isFalse();
    assertThat(stepwise.writes.get() - before).isEqualTo(org.steps().size());
    assertThat(plan(acme).differences()).isEmpty();
  }
}
