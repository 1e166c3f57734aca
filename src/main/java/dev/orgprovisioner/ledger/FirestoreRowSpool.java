package dev.orgprovisioner.ledger;

import com.google.api.core.ApiFuture;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.WriteBatch;
import dev.orgprovisioner.execution.port.RowSpool;
import dev.orgprovisioner.execution.port.SpooledRow;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The row spool in Firestore ({@code <prefix>row_spool}): one document per row, its id a hash of
 * the row's target and id (so appending again replaces), written in batches; every call has a
 * deadline and its failures are classified as transient or permanent.
 */
public final class FirestoreRowSpool implements RowSpool {

  /** Firestore's limit of writes in one batch. */
  static final int MAX_BATCH = 500;

  private final Firestore db;
  private final CollectionReference spool;
  private final Duration callTimeout;
  private final Clock clock;

  public FirestoreRowSpool(
      Firestore db, String collectionPrefix, Duration callTimeout, Clock clock) {
    this.db = db;
    this.spool = db.collection(collectionPrefix + "row_spool");
    this.callTimeout = callTimeout;
    this.clock = clock;
  }

  @Override
  public void append(List<SpooledRow> rows) {
    Timestamp now = Timestamp.of(java.util.Date.from(clock.instant()));
    inBatches(
        "append " + rows.size() + " spooled row(s)",
        rows,
        (batch, row) -> batch.set(spool.document(docId(row)), document(row, now)));
  }

  @Override
  public List<SpooledRow> pending(int limit, boolean parked) {
    List<SpooledRow> out = new ArrayList<>();
    var snapshot =
        call(
            "read spooled rows",
            spool.whereEqualTo("parked", parked).limit(Math.max(1, limit)).get());
    for (DocumentSnapshot doc : snapshot.getDocuments()) {
      out.add(row(doc));
    }
    return out;
  }

  @Override
  public void park(Collection<SpooledRow> rows, String reason) {
    Timestamp now = Timestamp.of(java.util.Date.from(clock.instant()));
    String why = reason == null ? "" : truncate(reason);
    // The whole row again, not a merge: a merge onto a row another instance just deleted would
    // leave a document without values.
    inBatches(
        "park " + rows.size() + " spooled row(s)",
        rows,
        (batch, row) -> {
          Map<String, Object> doc = document(row, now);
          doc.put("parked", true);
          doc.put("park_reason", why);
          batch.set(spool.document(docId(row)), doc);
        });
  }

  @Override
  public void delete(Collection<SpooledRow> rows) {
    inBatches(
        "delete " + rows.size() + " spooled row(s)",
        rows,
        (batch, row) -> batch.delete(spool.document(docId(row))));
  }

  @Override
  public long count() {
    return call("count spooled rows", spool.count().get()).getCount();
  }

  private void inBatches(
      String what, Collection<SpooledRow> rows, BiConsumer<WriteBatch, SpooledRow> op) {
    List<SpooledRow> all = List.copyOf(rows);
    for (int i = 0; i < all.size(); i += MAX_BATCH) {
      WriteBatch batch = db.batch();
      all.subList(i, Math.min(all.size(), i + MAX_BATCH)).forEach(r -> op.accept(batch, r));
      call(what, batch.commit());
    }
  }

  private static Map<String, Object> document(SpooledRow row, Timestamp now) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("dataset", row.dataset());
    doc.put("table", row.table());
    doc.put("key_column", row.keyColumn());
    doc.put("row_id", row.id());
    doc.put("values", SpoolValues.encode(row.values()));
    doc.put("parked", false);
    doc.put("spooled_at", now);
    return doc;
  }

  @SuppressWarnings("unchecked")
  private static SpooledRow row(DocumentSnapshot doc) {
    Object values = doc.get("values");
    return new SpooledRow(
        doc.getString("dataset"),
        doc.getString("table"),
        doc.getString("key_column"),
        doc.getString("row_id"),
        SpoolValues.decode(values instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of()));
  }

  /** A hash: table names and ids may hold characters a document id cannot. */
  static String docId(SpooledRow row) {
    return UUID.nameUUIDFromBytes(row.spoolKey().getBytes(StandardCharsets.UTF_8)).toString();
  }

  private <T> T call(String what, ApiFuture<T> future) {
    return LedgerStore.await(what, future, callTimeout);
  }

  private static String truncate(String s) {
    return s.length() <= 1000 ? s : s.substring(0, 1000) + "…";
  }
}
