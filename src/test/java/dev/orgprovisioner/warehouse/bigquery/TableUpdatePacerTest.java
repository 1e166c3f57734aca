package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-table pacing of metadata updates, on a fake clock. */
class TableUpdatePacerTest {

  private final AtomicLong now = new AtomicLong();
  private final List<Long> waits = new ArrayList<>();
  private final TableUpdatePacer pacer =
      new TableUpdatePacer(
          5,
          Duration.ofSeconds(10),
          now::get,
          nanos -> {
            waits.add(nanos);
            now.addAndGet(nanos);
          });

  @Test
  void fiveUpdatesPerWindow_passAtOnce_theSixthWaitsForTheOldestToLeave() throws Exception {
    for (int i = 0; i < 5; i++) {
      pacer.acquire("ds.t");
      now.addAndGet(Duration.ofSeconds(1).toNanos());
    }
    assertThat(waits).isEmpty();

    pacer.acquire("ds.t");

    assertThat(waits).containsExactly(Duration.ofSeconds(5).toNanos());
  }

  @Test
  void tablesArePacedIndependently() throws Exception {
    for (int i = 0; i < 5; i++) {
      pacer.acquire("ds.a");
    }

    pacer.acquire("ds.b");

    assertThat(waits).isEmpty();
  }
}
