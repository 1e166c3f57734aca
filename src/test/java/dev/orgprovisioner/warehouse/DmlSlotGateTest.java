package dev.orgprovisioner.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** A statement waits for its table's DML slot up to its deadline, and frees it when it ends. */
class DmlSlotGateTest {

  private static final String TABLE = "central.org_profiles";

  private final LocalDmlSlots slots = new LocalDmlSlots();
  private final DmlSlotGate gate = new DmlSlotGate(slots, 1, Clock.systemUTC());

  @Test
  void aStatementWaitsWhileEverySlotIsHeld_andRunsOnceOneIsFreed() throws Exception {
    DmlSlotGate.Held first = gate.acquire(TABLE, Duration.ofSeconds(5));
    CompletableFuture<DmlSlotGate.Held> second =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return gate.acquire(TABLE, Duration.ofSeconds(10));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    assertThat(second).isNotDone();
    first.close();

    second.get(5, TimeUnit.SECONDS).close();
    assertThat(slots.tryTake(TABLE, 1, Duration.ofSeconds(1), Instant.now()))
        .as("the second statement freed its slot too")
        .isPresent();
  }

  @Test
  void noSlotWithinTheStatementsDeadline_failsNamingTheTable() throws Exception {
    gate.acquire(TABLE, Duration.ofSeconds(5));

    assertThatThrownBy(() -> gate.acquire(TABLE, Duration.ofMillis(100)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("no DML slot of " + TABLE);
  }

  @Test
  void aSlotsLease_outlastsItsStatementsDeadline() throws Exception {
    Instant before = Instant.now();
    gate.acquire(TABLE, Duration.ofSeconds(40));

    assertThat(slots.tryTake(TABLE, 1, Duration.ofSeconds(1), before.plusSeconds(40)))
        .as("still held at the statement's deadline")
        .isEmpty();
    assertThat(slots.tryTake(TABLE, 1, Duration.ofSeconds(1), before.plusSeconds(71)))
        .as("free after the deadline and the margin")
        .isPresent();
  }

  @Test
  void aFailingStore_failsTheStatementAsTransient_andAFailedReleaseIsLeftToTheLease()
      throws Exception {
    DmlSlots down =
        new DmlSlots() {
          @Override
          public Optional<Slot> tryTake(String table, int count, Duration lease, Instant now) {
            throw new IllegalStateException("ledger unavailable");
          }

          @Override
          public void release(Slot slot) {}
        };
    DmlSlots releaseFails =
        new DmlSlots() {
          @Override
          public Optional<Slot> tryTake(String table, int count, Duration lease, Instant now) {
            return slots.tryTake(table, count, lease, now);
          }

          @Override
          public void release(Slot slot) {
            throw new IllegalStateException("ledger unavailable");
          }
        };

    assertThatThrownBy(
            () -> new DmlSlotGate(down, 1, Clock.systemUTC()).acquire(TABLE, Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(
            WarehouseException.class,
            e -> assertThat(e.kind()).isEqualTo(WarehouseException.Kind.TRANSIENT))
        .hasMessageContaining("could not take a DML slot of " + TABLE);
    new DmlSlotGate(releaseFails, 1, Clock.systemUTC())
        .acquire(TABLE, Duration.ofSeconds(1))
        .close();
    assertThat(slots.tryTake(TABLE, 1, Duration.ofSeconds(1), Instant.now()))
        .as("still held until its lease expires")
        .isEmpty();
  }

  @Test
  void withoutSlots_noStatementWaits_andOnlyAFleetOfMoreThanTwentyNeedsThem() throws Exception {
    for (int i = 0; i < 50; i++) {
      DmlSlotGate.NONE.acquire(TABLE, Duration.ofMillis(1));
    }
    assertThat(DmlSlots.neededFor(DmlSlots.PER_TABLE)).isFalse();
    assertThat(DmlSlots.neededFor(DmlSlots.PER_TABLE + 1)).isTrue();
  }
}
