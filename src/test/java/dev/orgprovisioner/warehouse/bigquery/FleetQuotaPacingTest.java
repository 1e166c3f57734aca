package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.TableDef;
import dev.orgprovisioner.ledger.FirestoreQuotaBuckets;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.PlanStep.UpdateTableOptions;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.plan.TableOption;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.FirestoreClient;
import dev.orgprovisioner.warehouse.BucketGate;
import dev.orgprovisioner.warehouse.LocalQuotaBuckets;
import dev.orgprovisioner.warehouse.QuotaBuckets;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three worker instances updating one table at once against the quota-enforcing stub, in real time
 * shrunk 20-fold: with the fleet's windows in Firestore they stay under BigQuery's 5 updates per 10
 * s per table together; each pacing only itself, they do not.
 */
class FleetQuotaPacingTest {

  private static final double TIME_SCALE = 0.05;
  private static final int INSTANCES = 3;
  private static final int UPDATES_EACH = 6;

  @RegisterExtension static final FirestoreClient FIRESTORE = new FirestoreClient();
  private final Catalog catalog = CatalogFixtures.minimal();
  private BigQueryStub stub;
  private StubQuotas quotas;

  @BeforeEach
  void start() {
    stub = BigQueryStub.start();
    try (BigQueryWarehouse setup = instance(BucketGate.local())) {
      DesiredDataset org = new DesiredDataset("org_acme", "EU", catalog.org(), "central", "acme");
      Planner.plan(org, setup.freshSnapshot("org_acme"), setup::viewSql)
          .steps()
          .forEach(setup::apply);
    }
    quotas = stub.enforceQuotas(TIME_SCALE);
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private BigQueryWarehouse instance(dev.orgprovisioner.warehouse.QuotaGate gate) {
    return BigQueryWarehouse.create(
        new BigQuerySettings("test-project", "EU", Optional.of(stub.host()), 1L << 30, 4), gate);
  }

  private static BucketGate scaled(QuotaBuckets windows) {
    return BucketGate.of(windows, TIME_SCALE);
  }

  private UpdateTableOptions describeInvoices() {
    TableDef invoices =
        catalog.org().tables().stream()
            .filter(t -> t.name().equals("invoices"))
            .findFirst()
            .orElseThrow();
    return new UpdateTableOptions("org_acme", invoices, Map.of(), Set.of(TableOption.DESCRIPTION));
  }

  /** Every instance updates the table {@link #UPDATES_EACH} times at once; failures counted. */
  private int runAll(Supplier<BucketGate> gates) throws Exception {
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
    List<BigQueryWarehouse> instances = new ArrayList<>();
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        BigQueryWarehouse instance = instance(gates.get());
        instances.add(instance);
        Warehouse w = instance;
        runs.add(
            pool.submit(
                () -> {
                  for (int n = 0; n < UPDATES_EACH; n++) {
                    try {
                      w.apply(describeInvoices());
                    } catch (WarehouseException e) {
                      failed.incrementAndGet();
                    }
                  }
                }));
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
  void threeInstancesOnTheFleetsWindows_stayUnderTheTableQuotaTogether() throws Exception {
    QuotaBuckets fleet =
        new FirestoreQuotaBuckets(
            FIRESTORE.freshStore("fleetquota", dev.orgprovisioner.ledger.LedgerContract.SETTINGS));
    long started = System.nanoTime();

    int failed = runAll(() -> scaled(fleet));

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    System.out.printf(
        "FLEET-QUOTA fleet windows: %d updates in %d ms, rejected %s%n",
        INSTANCES * UPDATES_EACH, took.toMillis(), quotas.rejections());
    assertThat(failed).isZero();
    assertThat(quotas.rejections()).isEmpty();
    assertThat(stub.requests("PATCH", ".*/tables/invoices")).hasSize(INSTANCES * UPDATES_EACH);
  }

  @Test
  void threeInstancesEachPacingOnlyItself_overrunTheTableQuota() throws Exception {
    int failed = runAll(() -> scaled(new LocalQuotaBuckets()));

    assertThat(quotas.rejections()).containsKey(StubQuotas.Quota.TABLE_METADATA_UPDATES);
    assertThat(failed).as("unretried, the refusals reach the caller").isPositive();
  }
}
