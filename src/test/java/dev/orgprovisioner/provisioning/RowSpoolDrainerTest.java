package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.execution.InMemoryRowSpool;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.execution.port.SpooledRow;
import dev.orgprovisioner.testing.EmptyDatasets;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The drainer on an in-memory spool and a real DuckDB: batches, keyed writes, parked rows. */
class RowSpoolDrainerTest {

  private final DuckDbWarehouse duck = new DuckDbWarehouse(":memory:");
  private final InMemoryRowSpool spool = new InMemoryRowSpool();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final RowSpoolDrainer drainer =
      new RowSpoolDrainer(
          spool,
          duck,
          Metrics.NONE,
          clock,
          new RowSpoolDrainer.Settings(2, Duration.ofHours(1), Duration.ofMinutes(5)));

  @AfterEach
  void close() {
    duck.close();
  }

  private void table(String name) {
    EmptyDatasets.create(duck, "ds");
    duck.execute("CREATE TABLE ds." + name + " (row_id VARCHAR, n BIGINT)");
  }

  private static SpooledRow row(String table, String id, long n) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("row_id", id);
    v.put("n", n);
    return SpooledRow.of("ds", table, "row_id", v);
  }

  private List<Map<String, Object>> rows(String table) {
    return duck.selectRows("ds", table, Map.of(), 100);
  }

  @Test
  void rowsInSeveralBatches_areAllWritten_andTheSameIdTwiceIsOneRow() {
    table("a");
    spool.append(List.of(row("a", "1", 1), row("a", "2", 2), row("a", "3", 3), row("a", "4", 4)));
    drainer.drain();
    spool.append(List.of(row("a", "2", 22)));

    RowSpoolDrainer.Result result = drainer.drain();

    assertThat(result.complete()).isTrue();
    assertThat(rows("a")).hasSize(4).extracting(r -> r.get("n")).contains(22L).doesNotContain(2L);
    assertThat(spool.count()).isZero();
  }

  private static SpooledRow odd(String table, String id) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("row_id", id);
    v.put("no_such_column", 1L);
    return SpooledRow.of("ds", table, "row_id", v);
  }

  @Test
  void rowsTheWarehouseRefuses_areParkedNotDropped_othersGoThrough_andTheyAreRetriedLater() {
    table("good");
    spool.append(List.of(row("good", "1", 1), odd("good", "x"), row("good", "2", 2)));

    RowSpoolDrainer.Result first = drainer.drain();

    assertThat(first.parked()).isEqualTo(1);
    assertThat(rows("good")).hasSize(2);
    assertThat(spool.count()).isEqualTo(1);
    assertThat(spool.pending(10, true)).extracting(SpooledRow::id).containsExactly("x");

    duck.execute("ALTER TABLE ds.good ADD COLUMN no_such_column BIGINT");
    assertThat(drainer.drain().written()).as("not yet due for a retry").isZero();
    clock.advance(Duration.ofMinutes(5));
    RowSpoolDrainer.Result later = drainer.drain();

    assertThat(later.written()).isEqualTo(1);
    assertThat(rows("good")).hasSize(3);
    assertThat(spool.count()).isZero();
  }

  @Test
  void rowsOfATableThatDoesNotExistYet_waitInTheSpool_andAreWrittenOnceItExists() {
    spool.append(List.of(row("later", "1", 1)));

    RowSpoolDrainer.Result before = drainer.drain();

    assertThat(before.complete()).isFalse();
    assertThat(before.parked()).isZero();
    assertThat(spool.pending(10, false)).hasSize(1);

    table("later");
    RowSpoolDrainer.Result after = drainer.drain();

    assertThat(after.written()).isEqualTo(1);
    assertThat(rows("later")).hasSize(1);
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
