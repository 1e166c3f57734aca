package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.warehouse.BucketGate;
import dev.orgprovisioner.warehouse.QuotaGate;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three worker instances with many threads reading metadata at once from a slow stub that answers
 * at most {@link #STUB_LIMIT} requests at a time (BigQuery's 300 concurrent requests per user,
 * scaled down): each instance keeping its share in flight, none is refused; uncapped, they are.
 */
class FleetConcurrentRequestsTest {

  private static final int INSTANCES = 3;
  private static final int THREADS_EACH = 6;
  private static final int READS_EACH = 3;
  private static final int STUB_LIMIT = 6;
  private static final Duration SLOW = Duration.ofMillis(40);

  private final Catalog catalog = CatalogFixtures.minimal();
  private final List<BigQueryWarehouse> opened = new ArrayList<>();
  private BigQueryStub stub;
  private StubQuotas quotas;

  @BeforeEach
  void start() {
    stub = BigQueryStub.start();
    BigQueryWarehouse setup = instance(QuotaGate.NONE, 1, BigQuerySettings.DEFAULT_CALL_TIMEOUT);
    DesiredDataset org = new DesiredDataset("org_acme", "EU", catalog.org(), "central", "acme");
    Planner.plan(org, setup.freshSnapshot("org_acme"), setup::viewSql)
        .steps()
        .forEach(setup::apply);
    quotas =
        stub.enforceQuotas(
                new StubQuotas(
                    // Requests per method are not counted here: FleetReadPacingTest shows their
                    // pacing; a request delayed past its window's margin on a busy CI machine
                    // was refused once as REQUESTS_PER_METHOD, which is not what this test is
                    // about.
                    StubQuotas.Limits.dmlOnly(2, 20, Duration.ofSeconds(2))
                        .withConcurrentRequests(STUB_LIMIT),
                    1.0,
                    System::nanoTime))
            .answerAfter(SLOW);
  }

  @AfterEach
  void stop() {
    opened.forEach(BigQueryWarehouse::close);
    stub.close();
  }

  private BigQueryWarehouse instance(QuotaGate gate, int concurrentRequests, Duration callTimeout) {
    BigQueryWarehouse w =
        BigQueryWarehouse.create(
            new BigQuerySettings(
                "test-project",
                "EU",
                Optional.of(stub.host()),
                1L << 30,
                4,
                callTimeout,
                BigQuerySettings.DEFAULT_QUERY_TIMEOUT,
                concurrentRequests),
            gate);
    opened.add(w);
    return w;
  }

  /** Every instance's threads read the dataset; the reads that failed. */
  private int readAll(Supplier<BigQueryWarehouse> instances) throws Exception {
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(INSTANCES * THREADS_EACH);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        BigQueryWarehouse instance = instances.get();
        for (int t = 0; t < THREADS_EACH; t++) {
          runs.add(
              pool.submit(
                  () -> {
                    for (int n = 0; n < READS_EACH; n++) {
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
        run.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return failed.get();
  }

  @Test
  void threeInstancesEachKeepingItsShareInFlight_areNeverRefused() throws Exception {
    int share = STUB_LIMIT / INSTANCES;

    int failed =
        readAll(() -> instance(BucketGate.local(), share, BigQuerySettings.DEFAULT_CALL_TIMEOUT));

    System.out.printf(
        "FLEET-CONCURRENCY capped at %d each: most in flight %d of %d, rejected %s%n",
        share, quotas.mostInFlight(), STUB_LIMIT, quotas.rejections());
    assertThat(failed).isZero();
    assertThat(quotas.rejections()).isEmpty();
    assertThat(quotas.mostInFlight()).isLessThanOrEqualTo(STUB_LIMIT).isGreaterThan(share);
    assertThat(opened.stream().mapToInt(BigQueryWarehouse::requestsInFlight).sum())
        .as("every place freed once its response was read")
        .isZero();
  }

  @Test
  void threeInstancesUncapped_overrunTheConcurrentRequests() throws Exception {
    int failed = readAll(() -> instance(QuotaGate.NONE, 1, BigQuerySettings.DEFAULT_CALL_TIMEOUT));

    assertThat(quotas.rejections()).containsKey(StubQuotas.Quota.CONCURRENT_REQUESTS);
    assertThat(failed).as("unretried, the refusals reach the caller").isPositive();
  }

  @Test
  void everyKindOfCall_freesItsPlace_withOnePlaceNoneWaitsForever() {
    quotas.answerAfter(Duration.ZERO);
    BigQueryWarehouse alone = instance(BucketGate.local(), 1, Duration.ofSeconds(2));
    List<Runnable> calls =
        List.of(
            () -> alone.freshSnapshot("org_acme"),
            () -> alone.bulkSnapshot(List.of("org_acme")),
            () -> alone.managedDatasets(),
            () -> alone.accessEntries("org_acme"),
            () -> alone.deleteDataset("org_acme"),
            () -> alone.undeleteDataset("org_acme"),
            () -> alone.freshSnapshot("org_acme"));

    for (Runnable call : calls) {
      call.run();
      assertThat(alone.requestsInFlight()).isZero();
    }
  }

  @Test
  void aRefusedFailedOrTimedOutRequest_freesItsPlace() {
    BigQueryWarehouse alone = instance(BucketGate.local(), 1, Duration.ofMillis(500));
    stub.fail("GET", ".*/datasets/org_acme", 1, 403, "rateLimitExceeded");
    stub.fail("GET", ".*/datasets/org_acme", 1, 503, "backendError");
    stub.hang(r -> r.is("GET", ".*/datasets/org_acme"), 1);

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> alone.freshSnapshot("org_acme"))
          .isInstanceOf(WarehouseException.class);
      assertThat(alone.requestsInFlight()).isZero();
    }
    assertThat(alone.freshSnapshot("org_acme"))
        .as("with one place, a place never freed would starve this read")
        .isPresent();
    assertThat(alone.requestsInFlight()).isZero();
  }
}
