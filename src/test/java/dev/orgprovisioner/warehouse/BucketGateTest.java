package dev.orgprovisioner.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.testing.ScriptedQuotaBuckets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BucketGateTest {

  private Instant now = Instant.parse("2026-12-03T10:00:00Z");
  private final List<Duration> waits = new ArrayList<>();
  private final AtomicInteger takes = new AtomicInteger();
  private final List<QuotaBuckets.Ask> asks = new CopyOnWriteArrayList<>();

  private BucketGate gate(QuotaBuckets buckets) {
    QuotaBuckets counting =
        new QuotaBuckets() {
          @Override
          public Grant take(
              String id,
              Quota quota,
              double timeScale,
              QuotaBuckets.Ask ask,
              java.util.function.Supplier<Instant> at) {
            takes.incrementAndGet();
            asks.add(ask);
            return buckets.take(id, quota, timeScale, ask, at);
          }

          @Override
          public void slowDown(String id, Quota quota, double timeScale, Instant at) {
            buckets.slowDown(id, quota, timeScale, at);
          }
        };
    return new BucketGate(
        counting,
        1.0,
        () -> now,
        d -> {
          waits.add(d);
          now = now.plus(d);
        });
  }

  @Test
  void fiveUpdatesOfATablePass_theSixthWaitsForTheWindow_otherTablesDoNot() throws Exception {
    BucketGate gate = gate(new LocalQuotaBuckets());
    for (int i = 0; i < 5; i++) {
      gate.acquire(Quota.TABLE_METADATA, "ds.invoices");
    }
    gate.acquire(Quota.TABLE_METADATA, "ds.credits");
    assertThat(waits).isEmpty();

    gate.acquire(Quota.TABLE_METADATA, "ds.invoices");

    assertThat(waits).containsExactly(QuotaWindow.window(Quota.TABLE_METADATA, 1.0));
  }

  @Test
  void twoGatesOverOneSharedStore_stayTogetherUnderTheQuota() throws Exception {
    QuotaBuckets shared = new LocalQuotaBuckets();
    BucketGate first = gate(shared);
    BucketGate second = gate(shared);
    for (int i = 0; i < 3; i++) {
      first.acquire(Quota.TABLE_METADATA, "ds.invoices");
    }
    second.acquire(Quota.TABLE_METADATA, "ds.invoices");
    second.acquire(Quota.TABLE_METADATA, "ds.invoices");
    assertThat(waits).isEmpty();

    second.acquire(Quota.TABLE_METADATA, "ds.invoices");

    assertThat(waits).hasSize(1);
  }

  @Test
  void requestsPerMethod_areLeasedAFewAtATime_soMostCostNoLock() throws Exception {
    BucketGate gate = gate(new LocalQuotaBuckets());

    for (int i = 0; i < 3; i++) {
      gate.acquire(Quota.API_REQUESTS, "tables.get");
    }

    assertThat(takes.get()).as("one lease of three").isEqualTo(1);
  }

  @Test
  void aSharedWindow_isAskedForTheCallsWaitingOnly_sinceASlotLeftUnusedIsLostToTheFleet()
      throws Exception {
    BucketGate gate = gate(new LocalQuotaBuckets());

    gate.acquire(Quota.TABLES_INSERT, "user");
    gate.acquire(Quota.TABLES_INSERT, "user");

    assertThat(asks).extracting(QuotaBuckets.Ask::want).containsExactly(1, 1);
  }

  @Test
  void aFullWindow_leasesASlotAhead_andTheCallWaitsForIt_inOneTransaction() throws Exception {
    BucketGate gate = gate(new LocalQuotaBuckets());
    for (int i = 0; i < Quota.TABLES_INSERT.calls(); i++) {
      gate.acquire(Quota.TABLES_INSERT, "user");
    }
    takes.set(0);

    gate.acquire(Quota.TABLES_INSERT, "user");

    assertThat(takes.get()).isEqualTo(1);
    assertThat(waits).containsExactly(QuotaWindow.window(Quota.TABLES_INSERT, 1.0));
  }

  @Test
  void aGrantThatReachedTheCallAfterItsSlotPassed_isAskedAgain_thatMuchAhead() throws Exception {
    Duration commit = Duration.ofSeconds(1);
    LocalQuotaBuckets local = new LocalQuotaBuckets();
    BucketGate gate =
        gate(
            ScriptedQuotaBuckets.taking(
                (id, quota, timeScale, ask, at) -> {
                  QuotaBuckets.Grant grant = local.take(id, quota, timeScale, ask, at);
                  now = now.plus(commit);
                  return grant;
                }));

    gate.acquire(Quota.TABLES_INSERT, "user");

    Duration usable = BucketGate.usable(Quota.TABLES_INSERT, 1.0);
    assertThat(asks)
        .extracting(QuotaBuckets.Ask::lead)
        .containsExactly(Duration.ZERO, commit.minus(usable.dividedBy(2)));
    assertThat(waits).as("the second slot had not passed: used at once").isEmpty();
  }

  @Test
  void aCallWokenAfterItsSlotPassed_leavesIt_andTakesAnother() throws Exception {
    Duration usable = BucketGate.usable(Quota.TABLES_INSERT, 1.0);
    LocalQuotaBuckets local = new LocalQuotaBuckets();
    BucketGate gate =
        new BucketGate(
            ScriptedQuotaBuckets.taking(
                (id, quota, timeScale, ask, at) -> {
                  takes.incrementAndGet();
                  return local.take(id, quota, timeScale, ask, at);
                }),
            1.0,
            () -> now,
            d -> {
              waits.add(d);
              // The first wake-up comes late, past the slot's usable time.
              now = now.plus(d).plus(waits.size() == 1 ? usable.multipliedBy(2) : Duration.ZERO);
            });
    for (int i = 0; i < Quota.TABLES_INSERT.calls(); i++) {
      gate.acquire(Quota.TABLES_INSERT, "user");
    }

    takes.set(0);

    gate.acquire(Quota.TABLES_INSERT, "user");

    assertThat(waits).as("waited for a slot ahead, woken late").hasSize(1);
    assertThat(takes.get()).as("then leased another").isEqualTo(2);
  }

  @Test
  void theLead_risesAtOnceToASlowerGrant_andFallsBackSlowly() {
    Duration usable = Duration.ofMillis(200);

    Duration risen = BucketGate.nextLead(Duration.ZERO, Duration.ofMillis(1100), usable);
    Duration fallen = BucketGate.nextLead(risen, Duration.ofMillis(100), usable);

    assertThat(risen).isEqualTo(Duration.ofMillis(1000));
    assertThat(fallen).isEqualTo(Duration.ofMillis(800));
  }

  @Test
  void aRefusal_dropsTheSlotsThisInstanceLeasedAndDidNotUse() throws Exception {
    BucketGate gate = gate(new LocalQuotaBuckets());
    gate.acquire(Quota.API_REQUESTS, "tables.get");

    gate.rateLimited(Quota.API_REQUESTS, "tables.get");
    takes.set(0);
    gate.acquire(Quota.API_REQUESTS, "tables.get");

    assertThat(takes.get())
        .as("the two spare slots went with the refusal: asked again")
        .isPositive();
  }

  @Test
  void callsWaitingOnOneInstance_waitForTheLeaseOfTheOneAskingTheStore() throws Exception {
    CountDownLatch asking = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> wanted = new CopyOnWriteArrayList<>();
    LocalQuotaBuckets local = new LocalQuotaBuckets();
    QuotaBuckets slow =
        ScriptedQuotaBuckets.taking(
            (id, quota, timeScale, ask, at) -> {
              wanted.add(ask.want());
              asking.countDown();
              try {
                // The first transaction lasts until the other calls queue up behind it.
                release.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return local.take(id, quota, timeScale, ask, at);
            });
    BucketGate gate = BucketGate.of(slow);
    List<Thread> threads = new CopyOnWriteArrayList<>();
    ExecutorService calls =
        Executors.newFixedThreadPool(
            6,
            r -> {
              Thread t = new Thread(r);
              threads.add(t);
              return t;
            });
    try {
      List<Future<?>> all = new ArrayList<>();
      all.add(calls.submit(() -> acquire(gate)));
      asking.await(5, TimeUnit.SECONDS);
      for (int i = 0; i < 5; i++) {
        all.add(calls.submit(() -> acquire(gate)));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (threads.size() < 6
          || threads.stream().filter(t -> t.getState() == Thread.State.TIMED_WAITING).count() < 6) {
        assertThat(System.nanoTime()).as("the five queue up behind the first").isLessThan(deadline);
        Thread.onSpinWait();
      }
      release.countDown();
      for (Future<?> f : all) {
        f.get(5, TimeUnit.SECONDS);
      }
    } finally {
      calls.shutdownNow();
    }

    assertThat(wanted)
        .as("six calls, two transactions: a lease of three, then one for the three left")
        .hasSize(2);
    assertThat(wanted.get(1)).isGreaterThanOrEqualTo(3);
  }

  private static Void acquire(BucketGate gate) throws InterruptedException {
    gate.acquire(Quota.API_REQUESTS, "tables.get");
    return null;
  }

  @Test
  void aRefusal_slowsTheWindowDown_untilItPasses() throws Exception {
    BucketGate gate = gate(new LocalQuotaBuckets());
    gate.acquire(Quota.TABLE_METADATA, "ds.invoices");

    gate.rateLimited(Quota.TABLE_METADATA, "ds.invoices");
    gate.acquire(Quota.TABLE_METADATA, "ds.invoices");

    assertThat(waits).hasSize(1);
  }

  @Test
  void grantsWhoseSlotsPassedBeforeTheyArrived_areLeftUnused_butASlowStoreNeverHoldsForever()
      throws Exception {
    AtomicInteger aged = new AtomicInteger();
    QuotaBuckets slow =
        ScriptedQuotaBuckets.taking(
            (id, quota, timeScale, ask, at) -> {
              aged.incrementAndGet();
              // A slot a second before the grant reached the caller: past its usable time.
              return new QuotaBuckets.Grant(
                  List.of(at.get().minusSeconds(1)), Duration.ZERO, at.get());
            });

    gate(slow).acquire(Quota.TABLE_METADATA, "ds.invoices");

    assertThat(aged.get()).isEqualTo(BucketGate.MAX_AGED_GRANTS);
  }
}
