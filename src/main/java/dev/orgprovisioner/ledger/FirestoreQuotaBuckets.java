package dev.orgprovisioner.ledger;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import dev.orgprovisioner.warehouse.Quota;
import dev.orgprovisioner.warehouse.QuotaBuckets;
import dev.orgprovisioner.warehouse.QuotaWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The fleet's quota windows in Firestore: one document per quota and key (a table, a dataset, the
 * user), read and written in one transaction per grant, so every instance counts the same calls.
 */
public final class FirestoreQuotaBuckets implements QuotaBuckets {

  private static final String GRANTED = "granted";
  private static final String FACTOR = "factor";
  private static final String UPDATED_AT = "updated_at";
  // Deleted by the TTL policy a day after its last window: tables no longer touched leave no trace.
  private static final String EXPIRES_AT = "expires_at";

  private final LedgerStore store;

  public FirestoreQuotaBuckets(LedgerStore store) {
    this.store = store;
  }

  @Override
  public Grant take(String id, Quota quota, double timeScale, Ask ask, Supplier<Instant> clock) {
    DocumentReference ref = store.quotas.document(id);
    return store.transaction(
        "take quota",
        tx -> {
          QuotaWindow current = read(tx.get(ref).get());
          Instant now = clock.get();
          QuotaWindow.Taken taken = current.take(quota, timeScale, ask, now, 1.0);
          tx.set(ref, doc(taken.window(), now));
          return taken.grant();
        });
  }

  @Override
  public void slowDown(String id, Quota quota, double timeScale, Instant now) {
    DocumentReference ref = store.quotas.document(id);
    store.transaction(
        "slow quota down",
        tx -> {
          tx.set(ref, doc(read(tx.get(ref).get()).slowedDown(quota, timeScale, now), now));
          return null;
        });
  }

  private static QuotaWindow read(DocumentSnapshot doc) {
    if (!doc.exists()) {
      return QuotaWindow.fresh();
    }
    List<Instant> granted = new ArrayList<>();
    Object stored = doc.get(GRANTED);
    if (stored instanceof List<?> list) {
      for (Object t : list) {
        if (t instanceof Timestamp ts) {
          granted.add(Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos()));
        }
      }
    }
    Double factor = doc.getDouble(FACTOR);
    return new QuotaWindow(granted, factor == null ? 1.0 : factor);
  }

  private static Map<String, Object> doc(QuotaWindow window, Instant now) {
    List<Timestamp> granted = new ArrayList<>();
    window.granted().forEach(t -> granted.add(ts(t)));
    return Map.of(
        GRANTED,
        granted,
        FACTOR,
        window.factor(),
        UPDATED_AT,
        ts(now),
        EXPIRES_AT,
        ts(now.plus(java.time.Duration.ofDays(1))));
  }

  private static Timestamp ts(Instant t) {
    return Timestamp.ofTimeSecondsAndNanos(t.getEpochSecond(), t.getNano());
  }
}
