package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.warehouse.DmlSlotGate;
import dev.orgprovisioner.warehouse.DmlSlots;
import dev.orgprovisioner.warehouse.LocalDmlSlots;
import dev.orgprovisioner.warehouse.QuotaGate;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many orgs upserting central rows at once, through the real client against the stub enforcing
 * BigQuery's mutating-DML limit (here 2 running and 1 queued per table, each statement answered
 * when it ends): group commit keeps each instance to one statement per table in flight, so three
 * instances never overrun it; without it one instance does. Five instances overrun it unless they
 * share the table's DML slots. A bad row fails only its own caller.
 */
class FleetDmlGroupCommitTest {

  private static final String CENTRAL = "central";
  private static final String TABLE = "org_profiles";
  private static final int ORGS = 40;
  private static final int THREADS = 8;
  private static final int INSTANCES = 3;
  private static final int MANY_INSTANCES = 5;

  private final Catalog catalog = CatalogFixtures.minimal();
  private final List<BigQueryWarehouse> opened = new ArrayList<>();
  private BigQueryStub stub;
  private StubQuotas quotas;

  @BeforeEach
  void start() {
    stub = BigQueryStub.start();
    BigQueryWarehouse setup = instance(true);
    DesiredDataset central = new DesiredDataset(CENTRAL, "EU", catalog.central(), CENTRAL, null);
    Planner.plan(central, setup.freshSnapshot(CENTRAL), setup::viewSql)
        .steps()
        .forEach(setup::apply);
  }

  @AfterEach
  void stop() {
    opened.forEach(BigQueryWarehouse::close);
    stub.close();
  }

  /** BigQuery's limits, but 1 queued DML statement per table and each running {@code dml}. */
  private void enforceDmlLimit(Duration dml) {
    StubQuotas.Limits limits = StubQuotas.Limits.dmlOnly(2, 1, dml);
    quotas = stub.enforceQuotas(new StubQuotas(limits, 1.0, System::nanoTime).answerDmlWhenDone());
  }

  private BigQueryWarehouse instance(boolean groupCommit) {
    return instance(groupCommit, DmlSlotGate.NONE);
  }

  private BigQueryWarehouse instance(boolean groupCommit, DmlSlotGate slots) {
    BigQueryWarehouse w =
        BigQueryWarehouse.create(
            new BigQuerySettings("test-project", "EU", Optional.of(stub.host()), 1L << 30, 4),
            QuotaGate.NONE,
            groupCommit,
            slots);
    opened.add(w);
    return w;
  }

  private static Map<String, Object> profile(String org, Object status) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("org_slug", org);
    row.put("status", status);
    row.put("created_at", Instant.parse("2026-01-01T00:00:00Z"));
    return row;
  }

  /** Upserts one profile per org from {@link #THREADS} threads; the failures, per org. */
  private Map<String, Throwable> upsertFromThreads(Function<Integer, BigQueryWarehouse> byOrg)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    Map<String, Throwable> failed = new java.util.concurrent.ConcurrentHashMap<>();
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < ORGS; i++) {
      int n = i;
      calls.add(
          pool.submit(
              () -> {
                go.await();
                String org = "org_" + n;
                try {
                  byOrg
                      .apply(n)
                      .upsertRows(
                          CENTRAL, TABLE, List.of("org_slug"), List.of(profile(org, "active")));
                } catch (WarehouseException e) {
                  failed.put(org, e);
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : calls) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    return failed;
  }

  private long merges() {
    return stub.requests().stream().filter(r -> r.isQuery() && r.sql().startsWith("MERGE")).count();
  }

  @Test
  void fortyOrgsFromThreeInstances_writeEveryRow_inFewerStatements_withNoneRefused()
      throws Exception {
    enforceDmlLimit(Duration.ofMillis(50));
    List<BigQueryWarehouse> fleet = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      fleet.add(instance(true));
    }
    stub.clearRequests();

    Map<String, Throwable> failed = upsertFromThreads(n -> fleet.get(n % INSTANCES));

    assertThat(failed).isEmpty();
    assertThat(quotas.rejections()).isEmpty();
    assertThat(fleet.get(0).selectRows(CENTRAL, TABLE, Map.of(), 100)).hasSize(ORGS);
    assertThat(merges()).isLessThan(ORGS);
    assertThat(fleet.stream().mapToLong(BigQueryWarehouse::groupedStatements).sum())
        .isEqualTo(merges());
  }

  @Test
  void moreInstancesThanTheTableTakes_sharingItsDmlSlots_areNeverRefused() throws Exception {
    enforceDmlLimit(Duration.ofMillis(100));
    // The stub takes 2 running + 1 queued: three slots for the fleet, five instances.
    DmlSlots shared = new LocalDmlSlots();
    List<BigQueryWarehouse> fleet = new ArrayList<>();
    for (int i = 0; i < MANY_INSTANCES; i++) {
      fleet.add(instance(true, new DmlSlotGate(shared, 3, Clock.systemUTC())));
    }
    stub.clearRequests();

    Map<String, Throwable> failed = upsertFromThreads(n -> fleet.get(n % MANY_INSTANCES));

    assertThat(failed).isEmpty();
    assertThat(quotas.rejections()).isEmpty();
    assertThat(fleet.get(0).selectRows(CENTRAL, TABLE, Map.of(), 100)).hasSize(ORGS);
    assertThat(shared.tryTake(CENTRAL + "." + TABLE, 3, Duration.ofMinutes(1), Instant.now()))
        .as("every slot released when its statement ended")
        .isPresent();
  }

  @Test
  void moreInstancesThanTheTableTakes_withoutSlots_overrunItsDmlQueue() throws Exception {
    enforceDmlLimit(Duration.ofMillis(100));
    List<BigQueryWarehouse> fleet = new ArrayList<>();
    for (int i = 0; i < MANY_INSTANCES; i++) {
      fleet.add(instance(true));
    }

    Map<String, Throwable> failed = upsertFromThreads(n -> fleet.get(n % MANY_INSTANCES));

    assertThat(quotas.rejections()).containsKey(StubQuotas.Quota.MUTATING_DML_QUEUE);
    assertThat(failed).isNotEmpty();
  }

  @Test
  void withoutGroupCommit_oneInstance_overrunsTheTablesDmlQueue() throws Exception {
    enforceDmlLimit(Duration.ofMillis(50));
    BigQueryWarehouse ungrouped = instance(false);

    Map<String, Throwable> failed = upsertFromThreads(n -> ungrouped);

    assertThat(quotas.rejections()).containsKey(StubQuotas.Quota.MUTATING_DML_QUEUE);
    assertThat(failed.values())
        .isNotEmpty()
        .allSatisfy(
            e -> {
              assertThat(((WarehouseException) e).kind()).isEqualTo(Kind.TRANSIENT);
              assertThat(e).hasMessageContaining("too many DML statements outstanding");
            });
  }

  @Test
  void oneCallersBadRow_failsOnlyThatCaller_theOthersRowsAreWritten() throws Exception {
    // Long enough that three callers queue behind the first statement.
    enforceDmlLimit(Duration.ofMillis(400));
    BigQueryWarehouse w = instance(true);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    Future<?> first =
        pool.submit(
            () ->
                w.upsertRows(
                    CENTRAL, TABLE, List.of("org_slug"), List.of(profile("first", "active"))));
    await().atMost(Duration.ofSeconds(5)).until(() -> merges() == 1);
    List<Future<Throwable>> others = new ArrayList<>();
    for (Map<String, Object> row :
        List.of(profile("good_a", "active"), profile("bad", 7L), profile("good_b", "active"))) {
      others.add(
          pool.submit(
              () -> {
                return catchThrowable(
                    () -> w.upsertRows(CENTRAL, TABLE, List.of("org_slug"), List.of(row)));
              }));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> w.waitingUpserts(CENTRAL, TABLE) == 3);

    first.get(10, TimeUnit.SECONDS);
    Throwable goodA = others.get(0).get(10, TimeUnit.SECONDS);
    Throwable bad = others.get(1).get(10, TimeUnit.SECONDS);
    Throwable goodB = others.get(2).get(10, TimeUnit.SECONDS);
    pool.shutdown();

    assertThat(goodA).isNull();
    assertThat(goodB).isNull();
    assertThat(bad).isInstanceOf(WarehouseException.class).hasMessageContaining("status");
    assertThat(((WarehouseException) bad).kind()).isEqualTo(Kind.PERMANENT);
    assertThat(w.selectRows(CENTRAL, TABLE, Map.of(), 10))
        .extracting(r -> r.get("org_slug"))
        .containsExactlyInAnyOrder("first", "good_a", "good_b");
    // The first alone, the three combined (refused), then each of the three alone.
    assertThat(merges()).isEqualTo(5);
  }
}
