package dev.orgprovisioner.execution.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RowSpool} must do; run against each adapter by a subclass. */
public abstract class RowSpoolContractTest {

  protected RowSpool spool;

  /** A fresh, empty spool. */
  protected abstract RowSpool newSpool();

  @BeforeEach
  void fresh() {
    spool = newSpool();
  }

  protected static SpooledRow row(String table, String id) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("row_id", id);
    values.put("org_slug", "acme");
    values.put("retry_count", 2L);
    values.put("ratio", 0.5);
    values.put("active", true);
    values.put("error_message", null);
    values.put("created_at", Instant.parse("2026-11-25T12:00:00.123456789Z"));
    values.put("run_date", LocalDate.parse("2026-11-25"));
    return SpooledRow.of("organizations", table, "row_id", values);
  }

  @Test
  void appendedRows_areReadBackWithTheirValuesAndTypes() {
    SpooledRow r = row("org_meta_pipeline_runs", "a");
    spool.append(List.of(r));

    assertThat(spool.pending(10, false)).containsExactly(r);
    assertThat(spool.count()).isEqualTo(1);
  }

  @Test
  void appendingTheSameRowAgain_replacesIt_neverDuplicates() {
    spool.append(List.of(row("t", "a"), row("t", "b")));
    spool.append(List.of(row("t", "a")));

    assertThat(spool.count()).isEqualTo(2);
    assertThat(spool.pending(10, false))
        .extracting(SpooledRow::id)
        .containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void theSameIdInAnotherTable_isAnotherRow() {
    spool.append(List.of(row("t1", "a"), row("t2", "a")));

    assertThat(spool.count()).isEqualTo(2);
  }

  @Test
  void pending_returnsAtMostTheLimit() {
    List<SpooledRow> rows = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      rows.add(row("t", "r" + i));
    }
    spool.append(rows);

    assertThat(spool.pending(3, false)).hasSize(3);
  }

  @Test
  void deletedRows_areGone_othersStay() {
    spool.append(List.of(row("t", "a"), row("t", "b"), row("t", "c")));

    spool.delete(List.of(row("t", "a"), row("t", "c")));

    assertThat(spool.pending(10, false)).extracting(SpooledRow::id).containsExactly("b");
    assertThat(spool.count()).isEqualTo(1);
  }

  @Test
  void parkedRows_leaveThePendingList_butAreKeptAndCounted() {
    spool.append(List.of(row("t", "a"), row("t", "b")));

    spool.park(List.of(row("t", "a")), "column row_id does not exist");

    assertThat(spool.pending(10, false)).extracting(SpooledRow::id).containsExactly("b");
    assertThat(spool.pending(10, true)).containsExactly(row("t", "a"));
    assertThat(spool.count()).isEqualTo(2);
  }

  @Test
  void appendingAParkedRowAgain_makesItPendingOnceMore() {
    spool.append(List.of(row("t", "a")));
    spool.park(List.of(row("t", "a")), "refused");

    spool.append(List.of(row("t", "a")));

    assertThat(spool.pending(10, false)).extracting(SpooledRow::id).containsExactly("a");
    assertThat(spool.count()).isEqualTo(1);
  }

  @Test
  void moreRowsThanOneBatch_areAllStoredAndDeleted() {
    List<SpooledRow> rows = new ArrayList<>();
    for (int i = 0; i < 620; i++) {
      rows.add(row("t", "r" + i));
    }
    spool.append(rows);
    assertThat(spool.count()).isEqualTo(620);

    spool.delete(rows);

    assertThat(spool.count()).isZero();
  }
}
