package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.warehouse.BucketGate;
import dev.orgprovisioner.warehouse.LocalQuotaBuckets;
import dev.orgprovisioner.warehouse.QuotaBuckets;
import dev.orgprovisioner.warehouse.QuotaGate;
import dev.orgprovisioner.warehouse.SplitQuotaBuckets;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three worker instances reading one dataset's metadata at once against the quota-enforcing stub
 * (BigQuery's real time): each pacing its third of the per-method quota, every request, whichever
 * client code sends it, stays under 100 requests per second per method together; unpaced, not.
 */
class FleetReadPacingTest {

  private static final int INSTANCES = 3;
  private static final int THREADS_EACH = 4;
  private static final int READS_EACH = 16;

  private final Catalog catalog = CatalogFixtures.minimal();
  private BigQueryStub stub;
  private StubQuotas quotas;

  @BeforeEach
  void start() {
    stub = BigQueryStub.start();
    try (BigQueryWarehouse setup = instance(QuotaGate.NONE)) {
      DesiredDataset org = new DesiredDataset("org_acme", "EU", catalog.org(), "central", "acme");
      Planner.plan(org, setup.freshSnapshot("org_acme"), setup::viewSql)
          .steps()
          .forEach(setup::apply);
    }
    quotas = stub.enforceQuotas(1.0);
    stub.clearRequests();
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private BigQueryWarehouse instance(QuotaGate gate) {
    return BigQueryWarehouse.create(
        new BigQuerySettings("test-project", "EU", Optional.of(stub.host()), 1L << 30, 4), gate);
  }

  /** Every instance's threads read the dataset {@code reads} times each; failures counted. */
  private int readAll(Supplier<QuotaGate> gates, int reads) throws Exception {
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(INSTANCES * THREADS_EACH);
    List<BigQueryWarehouse> instances = new ArrayList<>();
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        BigQueryWarehouse instance = instance(gates.get());
        instances.add(instance);
        for (int t = 0; t < THREADS_EACH; t++) {
          runs.add(
              pool.submit(
                  () -> {
                    for (int n = 0; n < reads; n++) {
                      try {
                        instance.freshSnapshot("org_acme");
                      } catch (WarehouseException e) {
                        failed.incrementAndGet();
                      }
                    }
                  }));
        }
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
      instances.forEach(BigQueryWarehouse::close);
    }
    return failed.get();
  }

  @Test
  void threeInstancesEachPacingItsThird_stayUnderTheRequestsPerMethodTogether() throws Exception {
    QuotaBuckets fleet = new LocalQuotaBuckets();
    long started = System.nanoTime();

    int failed = readAll(() -> BucketGate.of(new SplitQuotaBuckets(fleet, INSTANCES)), READS_EACH);

    long tookMs = (System.nanoTime() - started) / 1_000_000;
    int reads = INSTANCES * THREADS_EACH * READS_EACH;
    System.out.printf(
        "FLEET-READS thirds of the quota: %d fresh reads in %d ms, rejected %s%n",
        reads, tookMs, quotas.rejections());
    assertThat(failed).isZero();
    assertThat(quotas.rejections()).isEmpty();
    // Two tables and a view: 3 tables.get per read, 576 in all, so at least 5 windows of 100.
    assertThat(stub.requests("GET", ".*/datasets/org_acme/tables/[^/]+")).hasSize(3 * reads);
    assertThat(tookMs).as("paced: 576 tables.get need five full windows").isGreaterThan(5_000);
  }

  @Test
  void threeInstancesUnpaced_overrunTheRequestsPerMethod() throws Exception {
    int failed = readAll(() -> QuotaGate.NONE, READS_EACH);

    assertThat(quotas.rejections()).containsKey(StubQuotas.Quota.REQUESTS_PER_METHOD);
    assertThat(failed).as("unretried, the refusals reach the caller").isPositive();
  }
}
