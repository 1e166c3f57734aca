package dev.orgprovisioner.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The least time BigQuery's rate limits allow a wave, limit by limit. */
class QuotaFloorTest {

  private static SyncCalls org(Map<String, Integer> calls, int datasetUpdates, int tableUpdates) {
    return new SyncCalls(calls, datasetUpdates, tableUpdates);
  }

  @Test
  void aSlidingWindow_letsTheFirstLimitThrough_andEachFurtherLimitWaitsOnePeriod() {
    Duration tenSeconds = Duration.ofSeconds(10);

    assertThat(QuotaFloor.window(0, 5, tenSeconds)).isZero();
    assertThat(QuotaFloor.window(5, 5, tenSeconds)).isZero();
    assertThat(QuotaFloor.window(6, 5, tenSeconds)).isEqualTo(tenSeconds);
    assertThat(QuotaFloor.window(11, 5, tenSeconds)).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void aWaveOfSmallSyncs_isBoundByItsBusiestRestMethod() {
    List<SyncCalls> wave =
        Collections.nCopies(20, org(Map.of("tables.get", 25, "tables.patch", 1), 0, 1));

    QuotaFloor floor = QuotaFloor.of(wave, 10);

    // 500 tables.get at 100 per second: the first 100 at once, then one second per 100.
    assertThat(floor.minimum()).isEqualTo(Duration.ofSeconds(4));
    assertThat(floor.boundBy()).isEqualTo("tables.get at 100 per second");
  }

  @Test
  void newTables_areBoundByTablesInsertAtTenPerSecond() {
    List<SyncCalls> wave = Collections.nCopies(5, org(Map.of("tables.insert", 5), 0, 1));

    QuotaFloor floor = QuotaFloor.of(wave, 5);

    assertThat(floor.minimum()).isEqualTo(Duration.ofSeconds(2));
    assertThat(floor.boundBy()).isEqualTo("tables.insert at 10 per second");
  }

  @Test
  void orgsWithManyUpdatesOfOneTable_areBoundByTheConcurrency_andAtLeastTheBusiestOrg() {
    // Seven updates of one table: two must wait a 10 s window.
    List<SyncCalls> wave = Collections.nCopies(4, org(Map.of("tables.patch", 7), 0, 7));

    QuotaFloor oneAtATime = QuotaFloor.of(wave, 1);
    QuotaFloor allAtOnce = QuotaFloor.of(wave, 10);

    assertThat(oneAtATime.minimum()).isEqualTo(Duration.ofSeconds(40));
    assertThat(oneAtATime.boundBy()).contains("at 1 orgs at once");
    assertThat(allAtOnce.minimum()).isEqualTo(Duration.ofSeconds(10));
    assertThat(allAtOnce.boundBy()).contains("busiest org");
  }

  @Test
  void aWaveWithNothingToChange_needsNoTime() {
    QuotaFloor floor = QuotaFloor.of(List.of(org(Map.of("datasets.get", 1), 0, 0)), 10);

    assertThat(floor.minimum()).isZero();
    assertThat(floor.boundBy()).isEmpty();
  }
}
