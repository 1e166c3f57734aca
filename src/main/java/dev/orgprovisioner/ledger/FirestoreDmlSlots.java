package dev.orgprovisioner.ledger;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import dev.orgprovisioner.warehouse.DmlSlots;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The fleet's DML slots in Firestore: one small document per slot of a table ({@code <table>~<n>}),
 * taken in a transaction when absent or expired, deleted on release. Slots are spread over
 * documents so the instances taking one table's slots rarely contend on one document.
 */
public final class FirestoreDmlSlots implements DmlSlots {

  private static final String TABLE = "table";
  private static final String HOLDER = "holder";
  private static final String TAKEN_AT = "taken_at";
  // The lease's end; the TTL policy deletes slots whose holder never released them.
  private static final String EXPIRES_AT = "expires_at";

  private final LedgerStore store;
  private final CollectionReference slots;

  public FirestoreDmlSlots(LedgerStore store) {
    this.store = store;
    this.slots = store.db.collection(store.settings.collectionPrefix() + "dml_slots");
  }

  @Override
  public Optional<Slot> tryTake(String table, int count, Duration lease, Instant now) {
    // First a slot picked at random (one transaction when slots are free), then the free ones seen.
    int first = ThreadLocalRandom.current().nextInt(count);
    Optional<Slot> taken = take(table, first, lease, now);
    if (taken.isPresent()) {
      return taken;
    }
    for (int i : free(table, count, now)) {
      if (i != first) {
        taken = take(table, i, lease, now);
        if (taken.isPresent()) {
          return taken;
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public void release(Slot slot) {
    DocumentReference ref = ref(slot.table(), slot.index());
    store.transaction(
        "release DML slot",
        tx -> {
          DocumentSnapshot doc = tx.get(ref).get();
          if (doc.exists() && slot.holder().equals(doc.getString(HOLDER))) {
            tx.delete(ref);
          }
          return null;
        });
  }

  private Optional<Slot> take(String table, int index, Duration lease, Instant now) {
    DocumentReference ref = ref(table, index);
    Slot slot = new Slot(table, index, UUID.randomUUID().toString(), now.plus(lease));
    return store.transaction(
        "take DML slot",
        tx -> {
          if (held(tx.get(ref).get(), now)) {
            return Optional.empty();
          }
          tx.set(
              ref,
              Map.of(
                  TABLE,
                  table,
                  HOLDER,
                  slot.holder(),
                  TAKEN_AT,
                  ts(now),
                  EXPIRES_AT,
                  ts(slot.expiresAt())));
          return Optional.of(slot);
        });
  }

  /** The slots of {@code table} free at {@code now}, in one read of all of them. */
  private List<Integer> free(String table, int count, Instant now) {
    DocumentReference[] refs = new DocumentReference[count];
    for (int i = 0; i < count; i++) {
      refs[i] = ref(table, i);
    }
    List<DocumentSnapshot> docs = store.call("read DML slots", store.db.getAll(refs));
    List<Integer> free = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      if (!held(docs.get(i), now)) {
        free.add(i);
      }
    }
    return free;
  }

  private static boolean held(DocumentSnapshot doc, Instant now) {
    if (!doc.exists()) {
      return false;
    }
    Timestamp expires = doc.getTimestamp(EXPIRES_AT);
    return expires != null
        && Instant.ofEpochSecond(expires.getSeconds(), expires.getNanos()).isAfter(now);
  }

  private DocumentReference ref(String table, int index) {
    return slots.document(table + "~" + index);
  }

  private static Timestamp ts(Instant t) {
    return Timestamp.ofTimeSecondsAndNanos(t.getEpochSecond(), t.getNano());
  }
}
