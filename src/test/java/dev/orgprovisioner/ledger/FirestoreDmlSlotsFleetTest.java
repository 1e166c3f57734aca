package dev.orgprovisioner.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.FirestoreClient;
import dev.orgprovisioner.warehouse.DmlSlotGate;
import dev.orgprovisioner.warehouse.DmlSlots;
import dev.orgprovisioner.warehouse.QuotaGate;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.bigquery.BigQuerySettings;
import dev.orgprovisioner.warehouse.bigquery.BigQueryStub;
import dev.orgprovisioner.warehouse.bigquery.BigQueryWarehouse;
import dev.orgprovisioner.warehouse.bigquery.StubQuotas;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Five worker instances upserting central rows at once against the stub taking 2 running + 1 queued
 * MERGE per table, their DML slots in the Firestore emulator: none is refused.
 */
class FirestoreDmlSlotsFleetTest {

  @RegisterExtension static final FirestoreClient FIRESTORE = new FirestoreClient();

  private static final String CENTRAL = "central";
  private static final String TABLE = "org_profiles";
  private static final int INSTANCES = 5;
  private static final int ORGS = 20;

  private final Catalog catalog = CatalogFixtures.minimal();
  private final List<BigQueryWarehouse> fleet = new ArrayList<>();
  private final BigQueryStub stub = BigQueryStub.start();

  @AfterEach
  void stop() {
    fleet.forEach(BigQueryWarehouse::close);
    stub.close();
  }

  private BigQueryWarehouse instance(DmlSlotGate slots) {
    BigQueryWarehouse w =
        BigQueryWarehouse.create(
            new BigQuerySettings("test-project", "EU", Optional.of(stub.host()), 1L << 30, 4),
            QuotaGate.NONE,
            slots);
    fleet.add(w);
    return w;
  }

  @Test
  void moreInstancesThanTheTableTakes_sharingSlotsInTheLedger_areNeverRefused() throws Exception {
    BigQueryWarehouse setup = instance(DmlSlotGate.NONE);
    DesiredDataset central = new DesiredDataset(CENTRAL, "EU", catalog.central(), CENTRAL, null);
    Planner.plan(central, setup.freshSnapshot(CENTRAL), setup::viewSql)
        .steps()
        .forEach(setup::apply);
    StubQuotas.Limits dml = StubQuotas.Limits.dmlOnly(2, 1, Duration.ofMillis(100));
    StubQuotas quotas =
        stub.enforceQuotas(new StubQuotas(dml, 1.0, System::nanoTime).answerDmlWhenDone());
    DmlSlots ledger =
        new FirestoreDmlSlots(FIRESTORE.freshStore("dmlfleet", LedgerContract.SETTINGS));
    List<BigQueryWarehouse> instances = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      instances.add(instance(new DmlSlotGate(ledger, 3, Clock.systemUTC())));
    }

    long started = System.nanoTime();
    Map<String, Throwable> failed = upsertFromThreads(instances);

    System.out.printf(
        "FLEET-DML-SLOTS %d orgs from %d instances, slots in the emulator: %d ms, rejected %s%n",
        ORGS, INSTANCES, (System.nanoTime() - started) / 1_000_000, quotas.rejections());
    assertThat(failed).isEmpty();
    assertThat(quotas.rejections()).isEmpty();
    assertThat(setup.selectRows(CENTRAL, TABLE, Map.of(), 100)).hasSize(ORGS);
    assertThat(ledger.tryTake(CENTRAL + "." + TABLE, 3, Duration.ofMinutes(1), Instant.now()))
        .as("every slot released when its statement ended")
        .isPresent();
  }

  private Map<String, Throwable> upsertFromThreads(List<BigQueryWarehouse> instances)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    Map<String, Throwable> failed = new ConcurrentHashMap<>();
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < ORGS; i++) {
      int n = i;
      calls.add(
          pool.submit(
              () -> {
                go.await();
                String org = "org_" + n;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("org_slug", org);
                row.put("status", "active");
                row.put("created_at", Instant.parse("2026-01-01T00:00:00Z"));
                try {
                  instances
                      .get(n % instances.size())
                      .upsertRows(CENTRAL, TABLE, List.of("org_slug"), List.of(row));
                } catch (WarehouseException e) {
                  failed.put(org, e);
                }
                return null;
              }));
    }
    go.countDown();
    try {
      for (Future<?> f : calls) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return failed;
  }
}
