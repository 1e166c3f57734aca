package dev.orgprovisioner.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link DmlSlots} store does: the ledger's shared one and the in-memory one alike. */
public abstract class DmlSlotsContract {

  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(70);
  private static final String TABLE = "central.org_profiles";

  private DmlSlots slots;

  /** A store that holds nothing yet. */
  protected abstract DmlSlots newSlots();

  @BeforeEach
  final void fresh() {
    slots = newSlots();
  }

  private Optional<DmlSlots.Slot> take(String table, Instant now) {
    return slots.tryTake(table, 3, LEASE, now);
  }

  @Test
  void aTableGrantsItsSlots_thenRefusesUntilOneIsReleased() {
    List<DmlSlots.Slot> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(take(TABLE, T0).orElseThrow());
    }

    assertThat(take(TABLE, T0)).as("all three held").isEmpty();
    assertThat(held).extracting(DmlSlots.Slot::index).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(held).allSatisfy(s -> assertThat(s.expiresAt()).isEqualTo(T0.plus(LEASE)));

    slots.release(held.get(1));

    assertThat(take(TABLE, T0.plusSeconds(1)))
        .hasValueSatisfying(s -> assertThat(s.index()).isEqualTo(held.get(1).index()));
  }

  @Test
  void eachTableHasSlotsOfItsOwn() {
    for (int i = 0; i < 3; i++) {
      take(TABLE, T0).orElseThrow();
    }

    assertThat(take("central.org_members", T0)).isPresent();
  }

  @Test
  void aSlotWhoseHolderNeverReleasedIt_freesItselfAtItsExpiry() {
    for (int i = 0; i < 3; i++) {
      take(TABLE, T0).orElseThrow();
    }

    assertThat(take(TABLE, T0.plus(LEASE).minusMillis(1))).isEmpty();
    assertThat(take(TABLE, T0.plus(LEASE))).isPresent();
  }

  @Test
  void aLateRelease_ofALeaseExpiredAndTakenAgain_leavesTheNewHolderItsSlot() {
    DmlSlots.Slot stale = slots.tryTake(TABLE, 1, LEASE, T0).orElseThrow();
    DmlSlots.Slot fresh = slots.tryTake(TABLE, 1, LEASE, T0.plus(LEASE)).orElseThrow();

    slots.release(stale);

    assertThat(fresh.holder()).isNotEqualTo(stale.holder());
    assertThat(slots.tryTake(TABLE, 1, LEASE, T0.plus(LEASE).plusSeconds(1)))
        .as("still the fresh holder's")
        .isEmpty();
  }

  @Test
  void manyTakingAtOnce_neverHoldMoreThanTheSlots() throws Exception {
    int takers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(takers);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Optional<DmlSlots.Slot>>> results = new ArrayList<>();
      for (int i = 0; i < takers; i++) {
        Callable<Optional<DmlSlots.Slot>> taker =
            () -> {
              go.await();
              return take(TABLE, T0);
            };
        results.add(pool.submit(taker));
      }
      go.countDown();
      List<Integer> taken = new ArrayList<>();
      for (Future<Optional<DmlSlots.Slot>> r : results) {
        r.get(30, TimeUnit.SECONDS).ifPresent(s -> taken.add(s.index()));
      }

      assertThat(taken).hasSizeLessThanOrEqualTo(3).doesNotHaveDuplicates().isNotEmpty();
      assertThat(take(TABLE, T0)).as("every slot the racers took is held").isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }
}
